import type { ManagedKubernetesArgs, NodePoolArgs } from "@pulumi/alicloud/cs";
import type { BucketArgs, BucketServerSideEncryptionArgs } from "@pulumi/alicloud/oss";
import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { type CloudKeys, keyReference } from "../common/keyReferences";

/** The Alibaba Cloud resources the kit encrypts with its KMS key, and where each names the key. */
export const alicloudKeys: CloudKeys = {
  keyTypes: ["alicloud:kms/key:Key"],
  encrypted: [
    keyReference<InstanceArgs>("alicloud:rds/instance:Instance", "encryptionKey", (db) => db.encryptionKey),
    keyReference<BucketArgs>(
      "alicloud:oss/bucket:Bucket",
      "serverSideEncryptionRule",
      (b) => b.serverSideEncryptionRule?.kmsMasterKeyId,
    ),
    keyReference<BucketServerSideEncryptionArgs>(
      "alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption",
      "kmsMasterKeyId",
      (sse) => sse.kmsMasterKeyId,
    ),
    keyReference<ManagedKubernetesArgs>(
      "alicloud:cs/managedKubernetes:ManagedKubernetes",
      "encryptionProviderKey",
      (c) => c.encryptionProviderKey,
    ),
    keyReference<NodePoolArgs>("alicloud:cs/nodePool:NodePool", "systemDiskKmsKey", (pool) => pool.systemDiskKmsKey),
  ],
};

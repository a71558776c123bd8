import type { LaunchTemplateArgs } from "@pulumi/aws/ec2";
import type { ClusterArgs } from "@pulumi/aws/eks";
import type { InstanceArgs } from "@pulumi/aws/rds";
import type { BucketServerSideEncryptionConfigurationArgs as BucketEncryptionArgs } from "@pulumi/aws/s3";
import { type CloudKeys, keyReference } from "../common/keyReferences";
import { isSet } from "../props";

/** The AWS resources the kit encrypts with its KMS key, and where each names the key. */
export const awsKeys: CloudKeys = {
  keyTypes: ["aws:kms/key:Key", "aws:kms/alias:Alias"],
  encrypted: [
    keyReference<InstanceArgs>("aws:rds/instance:Instance", "kmsKeyId", (db) => db.kmsKeyId),
    keyReference<BucketEncryptionArgs>(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "rules",
      (sse) => (sse.rules ?? []).map((r) => r.applyServerSideEncryptionByDefault?.kmsMasterKeyId).filter(isSet),
    ),
    keyReference<ClusterArgs>(
      "aws:eks/cluster:Cluster",
      "encryptionConfig",
      (c) => c.encryptionConfig?.provider?.keyArn,
    ),
    keyReference<LaunchTemplateArgs>("aws:ec2/launchTemplate:LaunchTemplate", "blockDeviceMappings", (lt) =>
      (lt.blockDeviceMappings ?? []).map((m) => m.ebs?.kmsKeyId).filter(isSet),
    ),
  ],
};

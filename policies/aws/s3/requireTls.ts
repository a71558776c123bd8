import type { BucketPolicyArgs } from "@pulumi/aws/s3";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { deniesInsecureTransport, deniesTlsBelow } from "../../props";

export const awsS3TlsOnly: WarblerResourcePolicy = {
  id: "aws-s3-tls-only",
  name: "S3 bucket policies refuse plain HTTP and TLS below 1.2",
  target: "aws",
  what:
    "Every S3 bucket policy must deny requests that do not use TLS (a Deny statement with the condition " +
    "aws:SecureTransport = false) and requests that use TLS older than 1.2 (a Deny statement with " +
    "NumericLessThan s3:TlsVersion 1.2).",
  why:
    "Without the denies, a misconfigured client can upload or download chat files over plain HTTP or TLS " +
    "1.0/1.1, exposing them and the signed request to anyone on the network path.",
  fix:
    'Add a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN/*], ' +
    'Condition: { Bool: { "aws:SecureTransport": "false" } } } and a second Deny with Condition: { ' +
    'NumericLessThan: { "s3:TlsVersion": "1.2" } } to the bucket policy (the Warbler AWS kit does this).',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.21",
    "SOC2-CC6.7",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-AWS-S3-TLS",
    "MLPS-8.1.2.2",
  ],
  resourceTypes: ["aws:s3/bucketPolicy:BucketPolicy"],
  validateResource: forTypes<BucketPolicyArgs>(["aws:s3/bucketPolicy:BucketPolicy"], (p, _args, report) => {
    if (!deniesInsecureTransport(p.policy, "aws:SecureTransport"))
      report("the policy has no Deny statement for aws:SecureTransport = false");
    if (!deniesTlsBelow(p.policy, "s3:TlsVersion", 1.2))
      report("the policy has no Deny statement for s3:TlsVersion below 1.2");
  }),
};

/**
 * Where Alibaba Cloud publishes the CA chain ("ApsaraDB-CA-Chain") that signs
 * RDS cloud certificates (DescribeDBInstanceSSL returns it as ServerCAUrl).
 * It is a zip download, so the kit cannot ship it the way the AWS and Azure
 * kits ship theirs: the operator supplies its PEM as `warbler:database.caBundle`.
 */
export const apsaraDbCaChainUrl = "https://apsaradb-public.oss-ap-southeast-1.aliyuncs.com/ApsaraDB-CA-Chain.zip";

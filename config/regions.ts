import type { Cloud } from "./clouds";

/**
 * Regions where every service a kit needs (managed Kubernetes, managed
 * PostgreSQL with HA, KMS, object storage) is offered. A region outside this
 * list is rejected at config time rather than failing halfway through `pulumi up`.
 */
export const regions: Record<Cloud, readonly string[]> = {
  aws: [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "me-central-1",
  ],
  azure: [
    "eastus",
    "eastus2",
    "westus2",
    "westus3",
    "centralus",
    "canadacentral",
    "brazilsouth",
    "westeurope",
    "northeurope",
    "germanywestcentral",
    "francecentral",
    "uksouth",
    "swedencentral",
    "switzerlandnorth",
    "italynorth",
    "polandcentral",
    "japaneast",
    "koreacentral",
    "southeastasia",
    "australiaeast",
    "centralindia",
    "uaenorth",
  ],
  alicloud: [
    "cn-hangzhou",
    "cn-shanghai",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-shenzhen",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-hongkong",
    "eu-central-1",
    "eu-west-1",
    "ap-southeast-1",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-northeast-1",
    "us-west-1",
    "us-east-1",
    "me-east-1",
  ],
};

/** Mainland China regions: MLPS 2.0 applies and cross-border transfer rules bite. */
export function isMainlandChina(cloud: Cloud, region: string): boolean {
  return cloud === "alicloud" && region.startsWith("cn-") && region !== "cn-hongkong";
}

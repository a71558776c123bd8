import { requiredTagsPolicy } from "../../common/requiredTags";

/** Every Alibaba Cloud type the kit creates that takes `tags`. */
export const alicloudTaggableTypes = [
  "alicloud:kms/key:Key",
  "alicloud:vpc/network:Network",
  "alicloud:vpc/switch:Switch",
  "alicloud:vpc/natGateway:NatGateway",
  "alicloud:ecs/eipAddress:EipAddress",
  "alicloud:ecs/securityGroup:SecurityGroup",
  "alicloud:cs/managedKubernetes:ManagedKubernetes",
  "alicloud:cs/nodePool:NodePool",
  "alicloud:rds/instance:Instance",
  "alicloud:oss/bucket:Bucket",
  "alicloud:log/project:Project",
  "alicloud:ram/role:Role",
  "alicloud:ram/user:User",
  "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer",
];

export const alicloudRequiredTags = requiredTagsPolicy("alicloud", "Alibaba Cloud", alicloudTaggableTypes);

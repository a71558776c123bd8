import { requiredTagsPolicy } from "../../common/requiredTags";

/** Every AWS type the kit creates that takes `tags`. */
export const awsTaggableTypes = [
  "aws:kms/key:Key",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:rds/instance:Instance",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:s3/bucket:Bucket",
  "aws:iam/role:Role",
];

export const awsRequiredTags = requiredTagsPolicy("aws", "AWS", awsTaggableTypes);

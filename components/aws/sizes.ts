import type { ShapeKey } from "../../lib/im-sizing";
import type { Machine, SizeTable } from "../contract";

/**
 * Abstract size to EC2 node type, general purpose (4 GiB per vCPU) so the
 * vCPU/memory class equals `sizeClass` exactly. m6i is offered in every
 * supported region, for EKS nodes and as RDS PostgreSQL classes alike.
 */
export const nodeSizes: SizeTable = {
  small: { type: "m6i.large", vcpu: 2, memoryGiB: 8 },
  medium: { type: "m6i.xlarge", vcpu: 4, memoryGiB: 16 },
  large: { type: "m6i.2xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "m6i.4xlarge", vcpu: 16, memoryGiB: 64 },
};

/** Abstract size to RDS instance class, same shapes as the nodes. */
export const databaseSizes: SizeTable = {
  small: { type: "db.m6i.large", vcpu: 2, memoryGiB: 8 },
  medium: { type: "db.m6i.xlarge", vcpu: 4, memoryGiB: 16 },
  large: { type: "db.m6i.2xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "db.m6i.4xlarge", vcpu: 16, memoryGiB: 64 },
};

/**
 * Memory-optimised shape (lib/im-sizing.ts `memoryOptimisedShapes`, 8 GiB per vCPU) to EC2 type for the ejabberd
 * node group: r7i, whose sizes large to 8xlarge and 16xlarge have exactly these vCPUs and GiB
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/mo.html, "Memory optimized" specifications) and which EKS
 * runs on the AL2023 x86_64 AMIs like the m6i pools.
 */
export const imNodeSizes: Record<ShapeKey, Machine> = {
  "2x16": { type: "r7i.large", vcpu: 2, memoryGiB: 16 },
  "4x32": { type: "r7i.xlarge", vcpu: 4, memoryGiB: 32 },
  "8x64": { type: "r7i.2xlarge", vcpu: 8, memoryGiB: 64 },
  "16x128": { type: "r7i.4xlarge", vcpu: 16, memoryGiB: 128 },
  "32x256": { type: "r7i.8xlarge", vcpu: 32, memoryGiB: 256 },
  "64x512": { type: "r7i.16xlarge", vcpu: 64, memoryGiB: 512 },
};

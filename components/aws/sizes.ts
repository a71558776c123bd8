import type { SizeTable } from "../contract";

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

import type { Size } from "../../config/clouds";

/** One machine shape: the EC2 or RDS instance class and what it holds. */
export interface AwsMachine {
  instanceType: string;
  vcpu: number;
  memoryGiB: number;
}

/**
 * Abstract size to EC2 node type, general purpose (4 GiB per vCPU) so the
 * vCPU/memory class equals `sizeClass` exactly. m6i is offered in every
 * supported region, for EKS nodes and as RDS PostgreSQL classes alike.
 */
export const nodeSizes: Record<Size, AwsMachine> = {
  small: { instanceType: "m6i.large", vcpu: 2, memoryGiB: 8 },
  medium: { instanceType: "m6i.xlarge", vcpu: 4, memoryGiB: 16 },
  large: { instanceType: "m6i.2xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { instanceType: "m6i.4xlarge", vcpu: 16, memoryGiB: 64 },
};

/** Abstract size to RDS instance class, same shapes as the nodes. */
export const databaseSizes: Record<Size, AwsMachine> = {
  small: { instanceType: "db.m6i.large", vcpu: 2, memoryGiB: 8 },
  medium: { instanceType: "db.m6i.xlarge", vcpu: 4, memoryGiB: 16 },
  large: { instanceType: "db.m6i.2xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { instanceType: "db.m6i.4xlarge", vcpu: 16, memoryGiB: 64 },
};

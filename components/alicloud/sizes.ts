import { sizeClass, type Size } from "../../config/clouds";

/** An Alibaba Cloud machine class with the capacity it actually has. */
export interface AlicloudMachine {
  /** ECS instance type (nodes) or ApsaraDB RDS instance class (database). */
  type: string;
  vcpu: number;
  memoryGiB: number;
}

/**
 * Node instance types: ECS g7, the general-purpose family (1:4 vCPU to
 * memory) sold in every supported region, so one table serves them all.
 */
export const nodeMachines: Record<Size, AlicloudMachine> = {
  small: { type: "ecs.g7.large", vcpu: 2, memoryGiB: 8 },
  medium: { type: "ecs.g7.xlarge", vcpu: 4, memoryGiB: 16 },
  large: { type: "ecs.g7.2xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "ecs.g7.4xlarge", vcpu: 16, memoryGiB: 64 },
};

/**
 * ApsaraDB RDS for PostgreSQL general-purpose cloud-disk classes (`pg.n4`:
 * 1:4 vCPU to memory). The suffix is the edition: `.2c` is the
 * High-availability edition (primary plus a standby in another zone),
 * `.1` the Basic edition (one node), with the same capacity.
 */
const databaseClasses: Record<Size, { base: string; vcpu: number; memoryGiB: number }> = {
  small: { base: "pg.n4.medium", vcpu: 2, memoryGiB: 8 },
  medium: { base: "pg.n4.large", vcpu: 4, memoryGiB: 16 },
  large: { base: "pg.n4.xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { base: "pg.n4.2xlarge", vcpu: 16, memoryGiB: 64 },
};

/** RDS edition (`category`) for a database with or without a standby. */
export function databaseCategory(highAvailability: boolean): "HighAvailability" | "Basic" {
  return highAvailability ? "HighAvailability" : "Basic";
}

/** The RDS instance class for an abstract size and edition. */
export function databaseMachine(size: Size, highAvailability: boolean): AlicloudMachine {
  const c = databaseClasses[size];
  return { type: `${c.base}.${highAvailability ? "2c" : "1"}`, vcpu: c.vcpu, memoryGiB: c.memoryGiB };
}

/** The ECS instance type for an abstract node size. */
export function nodeMachine(size: Size): AlicloudMachine {
  return nodeMachines[size];
}

/** True when a machine has exactly the vCPU and memory the abstract size promises. */
export function matchesSizeClass(size: Size, machine: AlicloudMachine): boolean {
  return machine.vcpu === sizeClass[size].vcpu && machine.memoryGiB === sizeClass[size].memoryGiB;
}

import type { Size } from "../../config/clouds";
import type { Machine, SizeTable } from "../contract";

/**
 * Node instance types: ECS g7, the general-purpose family (1:4 vCPU to
 * memory) sold in every supported region, so one table serves them all.
 */
export const nodeSizes: SizeTable = {
  small: { type: "ecs.g7.large", vcpu: 2, memoryGiB: 8 },
  medium: { type: "ecs.g7.xlarge", vcpu: 4, memoryGiB: 16 },
  large: { type: "ecs.g7.2xlarge", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "ecs.g7.4xlarge", vcpu: 16, memoryGiB: 64 },
};

/**
 * ApsaraDB RDS for PostgreSQL general-purpose cloud-disk classes (`pg.n4`:
 * 1:4 vCPU to memory) of the High-availability edition (`.2c`: a primary
 * plus a standby in another zone). `databaseMachine` gives the Basic edition.
 */
export const databaseSizes: SizeTable = {
  small: { type: "pg.n4.medium.2c", vcpu: 2, memoryGiB: 8 },
  medium: { type: "pg.n4.large.2c", vcpu: 4, memoryGiB: 16 },
  large: { type: "pg.n4.xlarge.2c", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "pg.n4.2xlarge.2c", vcpu: 16, memoryGiB: 64 },
};

/** RDS edition (`category`) for a database with or without a standby. */
export function databaseCategory(highAvailability: boolean): "HighAvailability" | "Basic" {
  return highAvailability ? "HighAvailability" : "Basic";
}

/** The RDS class for an abstract size and edition: the Basic edition (one node) is the same class ending `.1`. */
export function databaseMachine(size: Size, highAvailability: boolean): Machine {
  const machine = databaseSizes[size];
  return highAvailability ? machine : { ...machine, type: machine.type.replace(/\.2c$/, ".1") };
}

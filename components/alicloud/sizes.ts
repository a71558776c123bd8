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
 * ApsaraDB RDS for PostgreSQL dedicated cloud-disk classes (`pg.x4`: 1:4 vCPU
 * to memory) of the High-availability edition (`.2c`: a primary plus a
 * standby in another zone). Dedicated, not general-purpose (`pg.n4`): the
 * stack encrypts the database disks with its own KMS key, and "Only dedicated
 * instances support CMK-based encryption"; general-purpose classes take only
 * the RDS service key (https://www.alibabacloud.com/help/en/rds/apsaradb-rds-for-postgresql/
 * configure-disk-encryption-for-an-apsaradb-rds-for-postgresql-instance). Class names and capacities from
 * "Primary ApsaraDB RDS for PostgreSQL instance types" (https://www.alibabacloud.com/help/en/rds/
 * apsaradb-rds-for-postgresql/primary-apsaradb-rds-for-postgresql-instance-types).
 */
export const databaseSizes: SizeTable = {
  small: { type: "pg.x4.medium.2c", vcpu: 2, memoryGiB: 8 },
  medium: { type: "pg.x4.large.2c", vcpu: 4, memoryGiB: 16 },
  large: { type: "pg.x4.xlarge.2c", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "pg.x4.2xlarge.2c", vcpu: 16, memoryGiB: 64 },
};

/**
 * The Basic edition (one node) sells a dedicated 1:4 class only from 16 vCPU (`pg.x4.2xlarge.1`; the smaller
 * dedicated Basic classes are 1:8, `pg.x8.*.1`), same source as above. Other sizes have no Basic class the stack key
 * can encrypt; config-rules.ts refuses them.
 */
export const basicDatabaseSizes: Partial<SizeTable> = {
  xlarge: { type: "pg.x4.2xlarge.1", vcpu: 16, memoryGiB: 64 },
};

/** RDS edition (`category`) for a database with or without a standby. */
export function databaseCategory(highAvailability: boolean): "HighAvailability" | "Basic" {
  return highAvailability ? "HighAvailability" : "Basic";
}

/** The dedicated RDS class for an abstract size and edition, or undefined when the edition has none at that size. */
export function databaseMachine(size: Size, highAvailability: boolean): Machine | undefined {
  return highAvailability ? databaseSizes[size] : basicDatabaseSizes[size];
}

/** Dedicated classes are the `pg.x<ratio>` families; `pg.n*` is general-purpose (service key only). */
export function acceptsCustomerKey(instanceClass: string): boolean {
  return /^pg\.x\d+[a-z]*\./.test(instanceClass);
}

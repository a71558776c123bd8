import type { Size } from "../../config/clouds";
import { imSizing, memoryOptimisedShapes, type NodeShape, type ShapeKey, shapeKey } from "../../lib/im-sizing";
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

/** An ECS instance type with the concurrent connections ECS tracks for it. */
export interface ConnectionRatedMachine extends Machine {
  /** The instance's "Connections" limit: concurrent sessions ECS tracks for it ("Up to 250,000" read as 250,000). */
  connections: number;
}

/**
 * The ecs.r7 family (memory optimised, 1:8 vCPU to memory), smallest first, with each type's connection limit, from
 * "Memory optimized instance families", r7 table (AlibabaCloudDocs/ecs, intl.en-US/Instance/Instance type
 * families/Memory optimized instance families/Memory optimized instance families.md; today
 * https://www.alibabacloud.com/help/en/ecs/user-guide/memory-optimized-instance-families). The types up to
 * 3xlarge share "Up to 250,000" connections, so a type is picked by its connections as well as its memory.
 */
export const r7Family: readonly ConnectionRatedMachine[] = [
  { type: "ecs.r7.large", vcpu: 2, memoryGiB: 16, connections: 250_000 },
  { type: "ecs.r7.xlarge", vcpu: 4, memoryGiB: 32, connections: 250_000 },
  { type: "ecs.r7.2xlarge", vcpu: 8, memoryGiB: 64, connections: 250_000 },
  { type: "ecs.r7.3xlarge", vcpu: 12, memoryGiB: 96, connections: 250_000 },
  { type: "ecs.r7.4xlarge", vcpu: 16, memoryGiB: 128, connections: 300_000 },
  { type: "ecs.r7.6xlarge", vcpu: 24, memoryGiB: 192, connections: 450_000 },
  { type: "ecs.r7.8xlarge", vcpu: 32, memoryGiB: 256, connections: 600_000 },
  { type: "ecs.r7.16xlarge", vcpu: 64, memoryGiB: 512, connections: 1_200_000 },
  { type: "ecs.r7.32xlarge", vcpu: 128, memoryGiB: 1024, connections: 2_400_000 },
];

/** The most sessions one ejabberd node may hold on this cloud: the largest r7 type's connection limit. */
export const maxImSessionsPerNode = Math.max(...r7Family.map((m) => m.connections));

const sameShape = (shape: NodeShape) => (m: Machine) => m.vcpu === shape.vcpu && m.memoryGiB === shape.memoryGiB;

/** Every memory-optimised shape (lib/im-sizing.ts) as the r7 type of exactly its vCPU and memory. */
export const imNodeSizes = Object.fromEntries(
  memoryOptimisedShapes.map((shape) => {
    const machine = r7Family.find(sameShape(shape));
    if (machine === undefined) throw new Error(`no ecs.r7 type has the shape ${shapeKey(shape)}; update r7Family`);
    return [shapeKey(shape), { type: machine.type, vcpu: machine.vcpu, memoryGiB: machine.memoryGiB }];
  }),
) as Record<ShapeKey, Machine>;

/**
 * The ejabberd node for `sessionsPerInstance` in a cluster of `instances`: the smallest r7 type with at least the
 * memory-optimised shape the sizing asks for (imSizing) whose connection limit holds every session; undefined above
 * the largest limit (config-rules.ts refuses that). A shape's own type holds 250,000 to 600,000 connections up to
 * 32x256, so 1,000,000 sessions need ecs.r7.16xlarge although 128 GiB would hold their memory.
 */
export function imNodeType(sessionsPerInstance: number, instances: number): ConnectionRatedMachine | undefined {
  const { node } = imSizing(sessionsPerInstance, instances);
  return r7Family.find(
    (m) => m.vcpu >= node.vcpu && m.memoryGiB >= node.memoryGiB && m.connections >= sessionsPerInstance,
  );
}

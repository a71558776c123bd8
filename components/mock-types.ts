import type * as pulumi from "@pulumi/pulumi";

/** Facts the fabricated outputs are built from, so ids look like the real cloud's. */
export interface MockContext {
  project: string;
  stack: string;
  /** The stack's region (from config); fabricated ARNs, ids and endpoints use it. */
  region: string;
  /** A stable fake account / subscription id. */
  accountId: string;
  subscriptionId: string;
}

/**
 * Fabricates a resource's outputs from its inputs. Return the state to merge
 * over the inputs (and optionally an id); undefined means "inputs as state".
 */
export type ResourceFabricator = (
  args: pulumi.runtime.MockResourceArgs,
  ctx: MockContext,
) => { id?: string; state?: Record<string, unknown> };

/** Fabricates an invoke's result (get* data sources, list* functions). */
export type CallFabricator = (args: pulumi.runtime.MockCallArgs, ctx: MockContext) => Record<string, unknown>;

/** One provider's mocks, keyed by exact type token (`aws:kms/key:Key`) or invoke token. */
export interface ProviderMocks {
  resources: Record<string, ResourceFabricator>;
  calls: Record<string, CallFabricator>;
}

/** A kit's mocks: its provider's resources and invokes, and what a stack of it exports to a StackReference. */
export interface KitMocks extends ProviderMocks {
  /**
   * The outputs of a platform stack of this cloud that depend on the cloud
   * (region, database host, the bucket's region and account), fabricated
   * for a plan that reads that stack (the global stack, a failover peer).
   */
  stackOutputs: (stack: string) => Record<string, unknown>;
}

import type { PolicyResource } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/** Where one type of resource names the customer-managed key that encrypts its data. */
export interface KeyReference {
  readonly type: string;
  /** The top-level input holding the key reference; the engine records what its value came from. */
  readonly prop: string;
  /** The key reference inside that input, when one is set. */
  readonly keyRef: (props: Props) => unknown;
  /** For a service that names the key rather than referencing it: true when `key` is the one it names. */
  readonly namesKey?: (props: Props, key: PolicyResource) => boolean;
}

/** One cloud's keys and the resources that encrypt with them, as the stack-wide key policy reads them. */
export interface CloudKeys {
  /** Type tokens of the keys (and key aliases) that can encrypt platform data. */
  readonly keyTypes: readonly string[];
  readonly encrypted: readonly KeyReference[];
}

/** A KeyReference with the inputs typed from the provider SDK's Args, so that tsc proves each property name. */
export function keyReference<TArgs>(
  type: string,
  prop: keyof TArgs & string,
  keyRef: (props: Partial<Unwrap<TArgs>>) => unknown,
  namesKey?: (props: Partial<Unwrap<TArgs>>, key: PolicyResource) => boolean,
): KeyReference {
  return {
    type,
    prop,
    keyRef: keyRef as (props: Props) => unknown,
    ...(namesKey ? { namesKey: namesKey as (props: Props, key: PolicyResource) => boolean } : {}),
  };
}

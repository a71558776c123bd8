import type { Readable } from "node:stream";

/** A stored object as the service serves it back. */
export interface StoredObject {
  size: number;
  contentType: string;
}

/**
 * Where uploaded bytes go: one private bucket or container, keyed by `<owner>/<random>/<file>`. Implementations
 * stream (no whole file in memory) and use the pod's workload identity (stores/).
 */
export interface ObjectStore {
  /** Names the backend in logs and metrics: `s3`, `oss`, `azure-blob`. */
  readonly kind: string;
  /** Writes exactly `size` bytes from `body`; rejects (and leaves no object) if the body errors or is short. */
  put(key: string, body: Readable, size: number, contentType: string): Promise<void>;
  /** The object's metadata, or undefined when there is none. */
  head(key: string): Promise<StoredObject | undefined>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<(StoredObject & { body: Readable }) | undefined>;
  /** Deletes the object; succeeds when it is already gone. */
  delete(key: string): Promise<void>;
}

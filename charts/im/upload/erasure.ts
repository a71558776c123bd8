import type { Ledger, LedgerRow } from "./ledger";
import type { LogSink } from "./log";
import type { Metrics } from "./metrics";
import type { ObjectStore } from "./store";
import { ownerOf } from "./token";

/**
 * GDPR erasure. ejabberd tells no external upload service that an account was deleted, so the service compares:
 * every owner in the ledger must be sha1(`username@server_host`) of an account of one of `domains`. Files of any
 * other owner, files older than the account that now holds their owner's JID (deleted and registered again), and
 * reservations abandoned for longer than `staleMs` are deleted from the store, then from the ledger.
 */
export interface SweepOptions {
  ledger: Ledger;
  store: ObjectStore;
  /** ejabberd's virtual hosts whose users may upload. */
  domains: string[];
  /** A reservation older than this belongs to an upload that died with its pod. */
  staleMs: number;
  metrics: Metrics;
  log: LogSink;
}

/** One sweep, unless another replica is sweeping now; returns how many files it deleted. */
export async function sweep(o: SweepOptions): Promise<number> {
  return (await o.ledger.exclusively(() => sweepNow(o))) ?? 0;
}

async function sweepNow(o: SweepOptions): Promise<number> {
  const [owners, accounts] = await Promise.all([o.ledger.owners(), o.ledger.accounts(o.domains)]);
  const live = accounts.map((a) => ({ ...a, owner: ownerOf(a.username, a.serverHost) }));
  const liveOwners = new Set(live.map((a) => a.owner));
  const held = new Set(owners);
  let gone = owners.filter((owner) => !liveOwners.has(owner));
  if (accounts.length === 0 && gone.length > 0) {
    // No account at all on these hosts while files exist is far likelier a wrong WARBLER_UPLOAD_DOMAINS (or a
    // database without ejabberd's data) than every user deleting their account: erase nothing, loudly.
    o.log({ event: "sweep-skipped", reason: "no accounts found for the configured domains", domains: o.domains });
    gone = [];
  }
  const candidates = [
    ...(await o.ledger.rowsToErase(gone, o.staleMs)),
    ...(await o.ledger.rowsOlderThanAccount(live.filter((a) => held.has(a.owner)))),
  ];
  const rows = [...new Map(candidates.map((r) => [r.key, r])).values()];
  let erased = 0;
  for (const row of rows) {
    if (await erase(row, o)) erased += 1;
  }
  if (rows.length > 0) o.log({ event: "sweep", erased, failed: rows.length - erased });
  return erased;
}

async function erase(row: LedgerRow, o: SweepOptions): Promise<boolean> {
  try {
    await o.store.delete(row.key);
  } catch (err) {
    o.metrics.add("warbler_upload_store_errors_total", 1, { operation: "delete" });
    o.log({ event: "erase-failed", owner: row.owner, error: (err as Error).message });
    // The row stays, so the next sweep tries again.
    return false;
  }
  await o.ledger.remove(row.key);
  o.metrics.add("warbler_upload_erased_files_total");
  return true;
}

import { Db } from "./db";
import type { Site } from "./site";

/** One admin session per site, opened on first use and reopened after a failure. */
export class Sessions {
  private readonly open = new Map<string, Db>();

  async get(site: Site, connectTimeoutMs?: number): Promise<Db> {
    const existing = this.open.get(site.name);
    if (existing) return existing;
    const db = await Db.connect(site.admin, connectTimeoutMs);
    this.open.set(site.name, db);
    return db;
  }

  /** Runs `use` on the site's session; a failed call drops the session so the next call reconnects. */
  async with<T>(site: Site, use: (db: Db) => Promise<T>, connectTimeoutMs?: number): Promise<T> {
    const db = await this.get(site, connectTimeoutMs);
    try {
      return await use(db);
    } catch (err) {
      this.open.delete(site.name);
      await db.close();
      throw err;
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((db) => db.close()));
  }
}

/**
 * What differs between the ejabberd releases the renderer supports: Debian
 * 12's 23.01, which the local profile and the end-to-end tests run, and the
 * release of the cluster's image (its tag, `warbler:im.image`). Pure.
 */

/** Debian 12's ejabberd package: the release the local profile renders for. */
export const debianRelease = "23.01";

/** The oldest release the renderer supports. */
export const oldestRelease = "23.01";

/** Releases as YY.MM; compares them as numbers (23.10 after 23.04). */
export function releaseAtLeast(release: string, than: string): boolean {
  const value = (r: string) => Number(r.replace(".", ""));
  return value(release) >= value(than);
}

/** Whether `release` is a YY.MM release the renderer supports. */
export function supportedRelease(release: string): boolean {
  return /^\d{2}\.\d{2}$/.test(release) && releaseAtLeast(release, oldestRelease);
}

/**
 * The SQL schema options for `release`:
 * - the multi-host schema (pg.new.sql) is `new_sql_schema: true` until 25.10 renamed it `sql_schema_multihost`
 *   (25.10 ChangeLog: "Rename New SQL schema to Multihost"; the old name still loads, with a warning);
 * - `update_sql_schema` exists since 23.10 (docs.ejabberd.im: "Since ejabberd 23.10, ejabberd can take care to
 *   create the tables automatically"). It is written out as `false` where it exists: the login role has data
 *   rights only, and the schema Job (with the admin credentials) loads and upgrades the schema.
 */
export function sqlSchemaOptions(release: string): Record<string, boolean> {
  return {
    ...(releaseAtLeast(release, "25.10") ? { sql_schema_multihost: true } : { new_sql_schema: true }),
    ...(releaseAtLeast(release, "23.10") ? { update_sql_schema: false } : {}),
  };
}

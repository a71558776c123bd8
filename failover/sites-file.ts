import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { type Cloud, clouds } from "../config/clouds";
import { InputError } from "../lib/errors";
import { KubectlFrontDoor } from "./kubectl";
import type { ReplicationDialect } from "./replication-sql";
import { defaultSettings, type FailoverSettings, type Site } from "./site";

const env = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name");

const siteSchema = z.strictObject({
  database: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1).default("ejabberd"),
    user: z.string().min(1),
    passwordEnv: env.describe("Variable that holds the admin password."),
    caFile: z.string().optional().describe("PEM CA bundle for verify-full TLS (the stack's database CA bundle)."),
  }),
  replication: z
    .strictObject({
      host: z.string().min(1),
      port: z.number().int().default(5432),
      database: z.string().default("ejabberd"),
      sslmode: z.enum(["disable", "prefer", "require", "verify-ca", "verify-full"]).default("require"),
    })
    .optional()
    .describe("How the peer database reaches this one over the private link; defaults to the admin host."),
  kubernetes: z.strictObject({
    kubeconfig: z.string().min(1),
    namespace: z.string().default("warbler-im"),
    statefulSet: z.string().default("ejabberd"),
    replicas: z.number().int().min(1).default(3),
  }),
});

/**
 * The sites file: how `warbler failover` reaches each cloud of a pair.
 * Passwords are never in it, only the names of the variables holding them.
 */
export const sitesFileSchema = z.strictObject({
  sites: z.partialRecord(z.enum(clouds), siteSchema),
  replicationPasswordEnv: env.default("WARBLER_REPLICATION_PASSWORD"),
  catchUpTimeoutMs: z.number().int().min(1000).default(defaultSettings.catchUpTimeoutMs),
});

export interface LoadedSites {
  sites: Map<string, Site>;
  settings: FailoverSettings;
}

/**
 * Reads and checks the sites file. Sites are named after their clouds;
 * `dialectOf` says how each cloud's database grants the right to replicate
 * (the caller takes it from the cloud's kit).
 */
export function loadSitesFile(
  path: string,
  dialectOf: (cloud: Cloud) => ReplicationDialect,
  environment: NodeJS.ProcessEnv = process.env,
): LoadedSites {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new InputError(`cannot read sites file ${path}: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = sitesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      `sites file ${path} is ` +
        `invalid:\n${parsed.error.issues.map((i) => `  - '${i.path.join(".")}' ${i.message}`).join("\n")}`,
    );
  }
  const file = parsed.data;
  const problems: string[] = [];
  const secret = (name: string) => {
    const value = environment[name];
    if (!value) problems.push(`environment variable ${name} is not set`);
    return value ?? "";
  };
  const sites = new Map<string, Site>();
  for (const [name, site] of Object.entries(file.sites) as [Cloud, (typeof file.sites)[Cloud]][]) {
    if (!site) continue;
    let ca: string | undefined;
    if (site.database.caFile) {
      try {
        ca = readFileSync(site.database.caFile, "utf8");
      } catch {
        problems.push(`'sites.${name}.database.caFile' (${site.database.caFile}) cannot be read`);
      }
    }
    const door = new KubectlFrontDoor(site.kubernetes);
    sites.set(name, {
      name,
      admin: {
        host: site.database.host,
        port: site.database.port,
        database: site.database.database,
        user: site.database.user,
        password: secret(site.database.passwordEnv),
        ca,
      },
      replication: site.replication ?? {
        host: site.database.host,
        port: site.database.port,
        database: site.database.database,
        sslmode: "require",
      },
      dialect: dialectOf(name),
      health: door,
      im: door,
    });
  }
  const replicationPassword = secret(file.replicationPasswordEnv);
  if (problems.length > 0) throw new InputError(`sites file ${path}: ${problems.join("; ")}`);
  return { sites, settings: { ...defaultSettings, catchUpTimeoutMs: file.catchUpTimeoutMs, replicationPassword } };
}

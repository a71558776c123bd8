/**
 * Memory levers measured by `npm run bench:im -- --lever <name>` (docs/memory-per-session.md). Each lever is a pure
 * edit of the configuration the chart's renderers produce (ejabberd.yml, ejabberdctl.cfg), so the measurement runs on
 * the chart's own configuration with exactly one thing changed.
 */

export interface Lever {
  /** What it changes, as docs/memory-per-session.md names it. */
  description: string;
  ejabberdYml?: (text: string) => string;
  ejabberdctlCfg?: (text: string) => string;
}

/** Removes the named top-level modules (`  mod_x:` and the lines indented under it) from a rendered ejabberd.yml. */
export function withoutModules(yml: string, modules: readonly string[]): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of yml.split("\n")) {
    const header = /^ {2}(mod_[a-z_0-9]+):/.exec(line);
    if (header) skipping = modules.includes(header[1]);
    else if (skipping && !/^ {3,}\S/.test(line)) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join("\n");
}

/** Adds words to ERL_OPTIONS (inside its quotes) of a rendered ejabberdctl.cfg. */
export function withErlOptions(cfg: string, words: string): string {
  if (!/^ERL_OPTIONS="[^"]*"$/m.test(cfg)) throw new Error("ejabberdctl.cfg has no ERL_OPTIONS line");
  return cfg.replace(/^ERL_OPTIONS="([^"]*)"$/m, (_, opts: string) => `ERL_OPTIONS="${opts} ${words}"`);
}

/** Removes one `-env NAME VALUE` pair from ERL_OPTIONS. */
export function withoutErlEnv(cfg: string, name: string): string {
  const pattern = new RegExp(`\\s*-env ${name} \\S+?(?=[\\s"])`);
  if (!pattern.test(cfg)) throw new Error(`ejabberdctl.cfg sets no ${name}`);
  return cfg.replace(pattern, "");
}

/**
 * Modules an idle authenticated session does not need: everything but authentication, roster, presence, disco,
 * ping, stream management, CSI and the admin API the benchmark reads its counters from.
 */
export const trimmableModules = [
  "mod_adhoc",
  "mod_blocking",
  "mod_caps",
  "mod_carboncopy",
  "mod_last",
  "mod_mam",
  "mod_muc",
  "mod_offline",
  "mod_privacy",
  "mod_private",
  "mod_pubsub",
  "mod_stun_disco",
  "mod_vcard",
  "mod_version",
  "mod_http_upload",
] as const;

export const levers = {
  none: { description: "the chart's configuration as rendered" },
  "no-fullsweep": {
    description: "without ERL_FULLSWEEP_AFTER 0 (the VM's default generational collection)",
    ejabberdctlCfg: (cfg: string) => withoutErlEnv(cfg, "ERL_FULLSWEEP_AFTER"),
  },
  "alloc-aobf": {
    description: "Erlang allocators: address-order best fit and 512 KB largest multiblock carriers (binary, heap)",
    ejabberdctlCfg: (cfg: string) => withErlOptions(cfg, "+MBas aobf +MHas aobf +MBlmbcs 512 +MHlmbcs 512"),
  },
  "malloc-arenas": {
    description: "glibc malloc (used by OpenSSL in fast_tls) limited to 2 arenas",
    ejabberdctlCfg: (cfg: string) => `${cfg}export MALLOC_ARENA_MAX=2\n`,
  },
  "trimmed-modules": {
    description: `without ${trimmableModules.join(", ")}`,
    ejabberdYml: (yml: string) => withoutModules(yml, trimmableModules),
  },
  "no-csi": {
    description: "without mod_client_state (CSI)",
    ejabberdYml: (yml: string) => withoutModules(yml, ["mod_client_state"]),
  },
  "sm-queue-100": {
    description: "mod_stream_mgmt max_ack_queue 100 (default 5000)",
    ejabberdYml: (yml: string) => {
      const next = yml.replace(/^( {2}mod_stream_mgmt:\n)/m, "$1    max_ack_queue: 100\n");
      if (next === yml) throw new Error("ejabberd.yml has no mod_stream_mgmt");
      return next;
    },
  },
} satisfies Record<string, Lever>;

export type LeverName = keyof typeof levers;
export const leverNames = Object.keys(levers) as LeverName[];

/**
 * The rooms' dependency rules, checked by `npm run lint` (scripts/check-dependencies.ts) and by
 * test/unit/layout/dependencies.test.ts. Each rule's comment says why it exists; a violation's
 * message is the rule's name and comment, so write them for the engineer who meets them.
 *
 * Rooms, lowest first, as they import each other today: lib/ (pure helpers and local host helpers)
 * < config/ (the stack config schema) < charts/, failover/, policies/ < components/ < stacks/ <
 * plan/, local/ < cli/, scripts/. The rules below pin the edges that matter.
 */

/** Every room of ours; a path outside these (node_modules, node: core modules) is a package. */
const OURS = "^(bin|charts|cli|components|config|failover|lib|local|plan|policies|scripts|stacks|test)/";

/**
 * failover/ modules a Pulumi component may import: they render SQL and plan steps, and spawn
 * nothing, open no connection and write no file. Add a module here only if that stays true (the
 * rule failover-pure-modules-stay-pure checks it).
 */
const FAILOVER_PURE = "^failover/(replication-[a-z-]+|sql-step)[.]ts$";

/**
 * A cloud kit's folder, components/<cloud>/ (every folder of components/ but the neutral
 * kubernetes/ and failover/); the cloud's name is capture group 1.
 */
const KIT = "^components/(?!kubernetes/|failover/)([^/]+)/";

/**
 * A rule that `room`/ imports, of ours, only its own files and the rooms in `allowed`: one shape for
 * every room's import list, so a room's row in ARCHITECTURE.md is one call here.
 */
function importsOnly(name, room, allowed, comment) {
  const own = [room, ...allowed].join("|");
  return { name, comment, severity: "error", from: { path: `^${room}/` }, to: { path: OURS, pathNot: `^(${own})/` } };
}

/** What makes a module touch processes, sockets, databases or files. */
const PROCESS_TOUCHING =
  "^(node:)?(child_process|net|http|https|dgram|cluster|worker_threads|fs|fs/promises)$|(^|/)node_modules/pg/";

/** A provider SDK of one cloud, as dependency-cruiser resolves it (with any sibling package, e.g. aws-native). */
const sdk = (pkg) => `(^|/)node_modules/@pulumi/${pkg}[^/]*/`;

/** The provider rule of one cloud: its SDK is imported only by its kit, and only for types by its policies. */
function providerRules(cloud, pkg) {
  return [
    {
      name: `${cloud}-sdk-only-in-its-kit`,
      comment:
        `@pulumi/${pkg}* belongs to components/${cloud}/: the rest of the program is cloud-neutral and reads ` +
        `the shapes in components/contract.ts. Move the code into the kit, or have the kit return what you need.`,
      severity: "error",
      from: { pathNot: `^(components|policies)/${cloud}/|^test/` },
      to: { path: sdk(pkg) },
    },
    {
      name: `${cloud}-policies-import-sdk-types-only`,
      comment:
        `policies/${cloud}/ may type resource inputs with @pulumi/${pkg}* ('import type'), but never load the ` +
        `SDK: a policy pack runs with @pulumi/policy alone.`,
      severity: "error",
      from: { path: `^policies/${cloud}/` },
      to: { path: sdk(pkg), dependencyTypesNot: ["type-only"] },
    },
  ];
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules import each other in a cycle: one of them holds what both need; move it down a level.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "imports-resolve",
      comment:
        "An import that does not resolve to a file is a bug, and it would hide its dependency from every " +
        "other rule here.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    importsOnly(
      "lib-imports-nothing-of-ours",
      "lib",
      [],
      "lib/ is the bottom room (pure helpers and local host helpers): it imports no other room, not even config/.",
    ),
    importsOnly(
      "config-imports-only-lib",
      "config",
      ["lib"],
      "config/ is the stack config schema, a leaf: it may use lib/ and nothing above it. A kit's config " +
        "rule is handed to config through components/kits.ts, not imported by config.",
    ),
    {
      name: "nothing-imports-cli",
      comment:
        "cli/ only parses arguments and prints results; bin/warbler.js and tests are its only callers. Move " +
        "what you need out of cli/ into the room it belongs to.",
      severity: "error",
      from: { pathNot: "^(cli|bin|test)/" },
      to: { path: "^cli/" },
    },
    {
      name: "nothing-imports-tests",
      comment: "Production code never imports test/: move the helper into the room that owns it.",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    importsOnly(
      "charts-import-only-lib-and-config",
      "charts",
      ["lib", "config"],
      "charts/ are cdk8s charts: they know nothing of Pulumi, clouds, failover or the planner, and take " +
        "everything they need as props.",
    ),
    {
      name: "charts-know-no-pulumi",
      comment: "charts/ render Kubernetes objects with cdk8s; Pulumi (@pulumi/*) is components/kubernetes/'s business.",
      severity: "error",
      from: { path: "^charts/" },
      to: { path: "(^|/)node_modules/@pulumi/" },
    },
    {
      name: "components-import-no-runner",
      comment:
        "components/ are Pulumi components: they never import the planner (plan/), the local runner (local/), " +
        "the CLI, the stacks, scripts or tests.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(plan|local|cli|stacks|scripts|test)/" },
    },
    {
      name: "components-import-only-pure-failover",
      comment:
        "components/ may import only failover/'s pure modules (SQL rendering; see FAILOVER_PURE in " +
        ".dependency-cruiser.cjs), never the failover engine, which opens connections and runs processes.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^failover/", pathNot: FAILOVER_PURE },
    },
    {
      name: "failover-pure-modules-stay-pure",
      comment:
        "A failover/ module components may import (FAILOVER_PURE) must not reach processes, sockets, files or " +
        "PostgreSQL, even through other modules.",
      severity: "error",
      from: { path: FAILOVER_PURE },
      to: { path: PROCESS_TOUCHING, reachable: true },
    },
    importsOnly(
      "policies-import-only-policies",
      "policies",
      [],
      "policies/ is published on its own (`pulumi policy publish policies`), so the pack can reach nothing " +
        "of ours outside policies/. Copy the fact into policies/ (a test keeps the pack's cloud list equal to " +
        "config/clouds.ts).",
    ),
    {
      name: "kit-imports-no-other-kit",
      comment:
        "A cloud kit (components/<cloud>/) never imports another kit: each cloud stands alone behind " +
        "components/contract.ts. Move what both need into the neutral components/ (contract.ts, or a neutral " +
        "helper).",
      severity: "error",
      from: { path: KIT },
      to: { path: "^components/(?!kubernetes/|failover/)[^/]+/", pathNot: "^components/$1/" },
    },
    {
      name: "only-the-registry-imports-kits",
      comment:
        "Outside a kit, only the registry (components/kits.ts) and tests import components/<cloud>/: the rest " +
        "of the program reaches a cloud through kitFor(cloud) and its KitDescriptor. Add the piece to the " +
        "descriptor instead.",
      severity: "error",
      from: { pathNot: `^components/kits[.]ts$|^test/|${KIT}` },
      to: { path: KIT },
    },
    importsOnly(
      "failover-imports-only-lib-and-config",
      "failover",
      ["lib", "config"],
      "failover/ is the runtime engine (replication SQL, switchover, drill) and runs with no Pulumi: of " +
        "ours it may use only lib/ and config/. A cloud's dialect reaches it as an argument, not an import.",
    ),
    importsOnly(
      "local-imports-only-lib-config-and-charts",
      "local",
      ["lib", "config", "charts"],
      "local/ runs ejabberd and PostgreSQL on this machine from the chart's own renderer: of ours it may " +
        "use only lib/, config/ and charts/, never the Pulumi components, the planner or the clouds.",
    ),
    importsOnly(
      "stacks-import-only-config-and-components",
      "stacks",
      ["config", "components"],
      "stacks/ is the program entry: it loads the config (config/) and builds the components (components/), " +
        "nothing else of ours. Put anything more into components/ or config/.",
    ),
    importsOnly(
      "scripts-import-only-lib-config-and-local",
      "scripts",
      ["lib", "config", "local"],
      "scripts/ (test runner, lint, leak check, benchmarks, docs) may use only lib/, config/ and local/ of " +
        "ours: they run without the Pulumi program. Move what a script needs down into one of those rooms.",
    ),
    ...providerRules("aws", "aws"),
    ...providerRules("azure", "azure"),
    ...providerRules("alicloud", "alicloud"),
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: "^out/" },
    moduleSystems: ["cjs", "es6"],
    // Type-only imports count: a module that needs another's types depends on it, and
    // the provider rules tell 'import type' from a runtime import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};

import { type Command, Option } from "commander";
import { progress } from "../../lib/progress";
import { localObjectStoreKinds } from "../../local/object-store";
import { endpointsOf, startLocalIm } from "../../local/runner";

/** `warbler im local`: the IM service on this machine, with the cluster's config renderer. */
export function registerImCommand(program: Command): void {
  const im = program.command("im").description("The IM service (ejabberd).");
  im.command("local")
    .description(
      "Run the IM service on this machine: the Debian ejabberd and a private PostgreSQL 15 on free loopback ports, " +
        "configured by the same renderer as the cluster (local profile: self-signed certificate), and Warbler's " +
        "upload service in front of a local object store (s3rver for the S3 and OSS path, Azurite for Azure Blob). " +
        "Installs missing Debian packages when root. Prints one JSON line with the endpoints and the admin account " +
        "when ready, then runs until SIGINT or SIGTERM, and removes everything it created.",
    )
    .option("--json-only", "print only the JSON line (no progress on stderr)")
    .option("--domain <domain>", "XMPP domain users log in to", "localhost")
    .addOption(
      new Option("--object-store <kind>", "the object store uploads go to")
        .choices(localObjectStoreKinds)
        .default("s3"),
    )
    .addHelpText(
      "after",
      "\nOutput (one line on stdout):\n  " +
        '{"domain","c2s":"xmpp://127.0.0.1:<port>","c2sTls","websocket":"ws://127.0.0.1:<port>/ws",' +
        '"api":"http://127.0.0.1:<port>/api","admin":{"jid","password"},"metrics","upload","objectStore",' +
        '"certificate","database","analyticsDatabase"}\n',
    )
    .action(
      async (opts: { jsonOnly?: boolean; domain: string; objectStore: (typeof localObjectStoreKinds)[number] }) => {
        const log = progress(!opts.jsonOnly);
        // --json-only promises an empty stderr. The pinned AWS SDK runs on Node 20; its one-time notice is about SDK
        // releases after January 2027, which package.json does not take.
        if (opts.jsonOnly) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
        // Handlers go in before the start, so a signal during it still stops what was started.
        let signal: string | undefined;
        let wake: () => void = () => undefined;
        const onSignal = (name: string) => {
          signal ??= name;
          wake();
        };
        process.on("SIGINT", () => onSignal("SIGINT"));
        process.on("SIGTERM", () => onSignal("SIGTERM"));
        const started = Date.now();
        const local = await startLocalIm({ domain: opts.domain, objectStore: opts.objectStore, progress: log });
        if (!signal) {
          log.info(`ready in ${Date.now() - started} ms; Ctrl-C stops it and removes ${local.dir}`);
          process.stdout.write(`${JSON.stringify(endpointsOf(local))}\n`);
          await new Promise<void>((resolve) => (wake = resolve));
        }
        log.info(`${signal}: stopping ejabberd, the exporter, the upload service, the object store and PostgreSQL`);
        await local.stop();
        log.info("stopped; files removed");
      },
    );
}

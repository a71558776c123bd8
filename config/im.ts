import { z } from "zod";
import { parseCidr } from "../lib/cidr";
import { type ImSizing, imSizing, instancesFor, maxInstances, minimumInstances, sizingPolicy } from "../lib/im-sizing";
import { cidr } from "./fields";
import { NAMESPACE } from "./namespace";

/** The widest range /api and /admin may be opened to: 65,536 addresses, an office or VPN egress at most. */
const ADMIN_MIN_PREFIX = 16;

/**
 * ejabberd's keepalive (mod_ping, charts/im/ejabberd-config.ts): a client silent for `pingIntervalSeconds` is pinged,
 * and its session closed when no answer comes within `pingAckTimeoutSeconds`. The longest silence on a live XMPP or
 * WebSocket session is their sum, so every idle timeout on the path (load balancer, Gateway) must be longer.
 */
export const xmppKeepalive = { pingIntervalSeconds: 60, pingAckTimeoutSeconds: 32 } as const;
/** The longest a live session stays silent: the ping interval plus the time the client may take to answer. */
export const keepaliveSilenceSeconds = xmppKeepalive.pingIntervalSeconds + xmppKeepalive.pingAckTimeoutSeconds;

/** The neutral cap on TURN relay ports; the kits' config rules cap them to their load balancers' listener limits. */
export const TURN_RELAY_MAX_PORTS = 1000;

/**
 * The default ejabberd image: ProcessOne's official image at 26.07, the security release that fixes, among others,
 * atom exhaustion through mod_http_api REST requests (github.com/processone/ejabberd/releases/tag/26.07); 24.12 is
 * avoided for the memory growth reported in processone/ejabberd#4396. Pinned by tag: no public source we could
 * read shows its digest (test/unit/im/config.test.ts).
 */
export const defaultEjabberdImage = "ghcr.io/processone/ejabberd:26.07";

/**
 * The ejabberd release (YY.MM) an image reference names in its tag, such as "26.07" for
 * ghcr.io/processone/ejabberd:26.07 or registry.example.com/ejabberd:24.12-custom.1@sha256:...; undefined when
 * the tag does not start with one, or there is no tag.
 */
export function ejabberdRelease(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf("/") + 1).replace(/@sha256:[a-f0-9]{64}$/, "");
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
  return /^(\d{2}\.\d{2})(?![\d])/.exec(tag)?.[1];
}

const pinned = (ref: string) => /[:@][^/]+$/.test(ref) && !ref.endsWith(":latest");

/** `warbler:im`: the ejabberd service. */
export const imSchema = z
  .strictObject({
    replicas: z
      .number()
      .int()
      .min(1)
      .max(maxInstances)
      .optional()
      .describe(
        "ejabberd cluster nodes (StatefulSet replicas). Default: 3, or with `sessions` one more than the sessions " +
          "need (at least 3).",
      ),
    sessionsPerInstance: z
      .number()
      .int()
      .min(sizingPolicy.minSessions)
      .max(sizingPolicy.maxSessions)
      .default(1_000_000)
      .describe(
        "Concurrent sessions one ejabberd instance is sized for: its pod's CPU and memory, its memory-optimised " +
          "node, the Erlang and open-file limits (docs/capacity.md).",
      ),
    sessions: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .describe(
        "Concurrent sessions the whole platform must hold; sets the default `replicas` to one more instance than " +
          "they need, and refuses a `replicas` that cannot hold them.",
      ),
    image: z
      .string()
      // A registry host may carry a port (registry.example.com:5000/...), which is not a tag.
      .regex(
        /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9._/-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/,
        `must be an image reference with a tag or digest, such as ${defaultEjabberdImage}`,
      )
      .refine(pinned, "must be pinned to a tag other than latest, or a digest")
      // The config is rendered for one release (options differ between releases), so the tag must name it; a
      // digest may follow, as in ghcr.io/processone/ejabberd:26.07@sha256:<digest>. Said once: not for unpinned.
      .refine((ref) => !pinned(ref) || ejabberdRelease(ref) !== undefined, {
        message:
          "must carry the ejabberd release as its tag (YY.MM, such as 26.07, optionally followed by a suffix " +
          "and @sha256:<digest>): the config is rendered for that release",
      })
      .default(defaultEjabberdImage)
      .describe(
        "ejabberd container image, ProcessOne's official one by default (docs/im.md, The ejabberd image); its tag " +
          "names the release the config is rendered for.",
      ),
    admins: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9._-]{1,64}$/, "must be an XMPP user name: lowercase letters, digits, '.', '_' or '-'"),
      )
      .min(1)
      .default(["admin"])
      .describe("User names (the part before @domain) of the administrators allowed on /api and /admin."),
    adminCidrs: z
      .array(
        cidr.refine((text) => (parseCidr(text)?.prefix ?? 32) >= ADMIN_MIN_PREFIX, {
          message:
            `must be a /${ADMIN_MIN_PREFIX} or narrower range (an office or VPN egress); /api and /admin are ` +
            `for allow-listed networks only`,
        }),
      )
      .default([])
      .describe(
        "Source CIDRs allowed to reach /api, /admin and /grafana through the Gateway (`adminApi` true); the " +
          "Gateway's SecurityPolicy and ejabberd's own allow-list both check the client's real address.",
      ),
    adminApi: z
      .boolean()
      .default(false)
      .describe(
        "Publish /api, /admin and /grafana on https://<domain> to `adminCidrs` only. Off: they are reachable only " +
          "by kubectl port-forward.",
      ),
    edgeIdleTimeoutSeconds: z
      .number()
      .int()
      .max(86400)
      .default(3600)
      .describe(
        `Seconds the Gateway keeps an idle client connection. Must exceed ${keepaliveSilenceSeconds} s, the longest ` +
          "silence of a live session (XMPP ping interval plus answer time), or idle WebSocket sessions are cut.",
      ),
    openRegistration: z
      .boolean()
      .default(false)
      .describe(
        "Let anyone create an account from a client (XEP-0077); otherwise only administrators create accounts.",
      ),
    maxUploadMb: z
      .number()
      .int()
      .min(1)
      .max(10240)
      .default(100)
      .describe("Largest file a user may upload (XEP-0363), in MiB."),
    uploadQuotaMb: z
      .number()
      .int()
      .min(1)
      .max(1048576)
      .default(1024)
      .describe(
        "Files each user may keep, in MiB; an upload beyond it is refused. Deleting an account deletes its files.",
      ),
    turn: z.boolean().default(true).describe("Run a TURN server for voice and video calls and announce it to clients."),
    turnRelayPorts: z
      .strictObject({
        from: z.number().int().min(1024).max(65535),
        to: z.number().int().min(1024).max(65535),
      })
      .refine((r) => r.to >= r.from && r.to - r.from < TURN_RELAY_MAX_PORTS, {
        message:
          `must be a range of 1 to ${TURN_RELAY_MAX_PORTS} ports ('to' not below 'from') between 1024 and 65535; ` +
          "each port is a load-balancer listener, and each cloud caps those further",
      })
      .default({ from: 50000, to: 50039 })
      .describe(
        "UDP ports TURN relays media on, first and last. Each is a listener on the TURN load balancer, so each " +
          "cloud's kit caps the range at its listener limit (docs/im.md, Calls); one relayed call uses about two.",
      ),
    turnTls: z
      .boolean()
      .default(false)
      .describe(
        "Also offer TURN over TLS (turns:) on 443 with a certificate for turn.<domain>. Needs an A record " +
          "turn.<domain> pointing at the TURN address and a DNS-01 issuer: HTTP-01 cannot reach that name.",
      ),
    push: z
      .boolean()
      .default(false)
      .describe(
        "Turn on push notifications (mod_push, mod_push_keepalive) and let ejabberd reach push services over " +
          "server-to-server TLS (5269) on public addresses. Off: no module, no s2s egress.",
      ),
    logLevel: z
      .enum(["critical", "error", "warning", "info", "debug"])
      .default("info")
      .describe("ejabberd log verbosity."),
  })
  // One file larger than the whole quota could never be stored: say so at plan time, not at the first upload.
  .refine((im) => im.uploadQuotaMb >= im.maxUploadMb, {
    path: ["uploadQuotaMb"],
    message: "must be at least maxUploadMb, or no file of the largest allowed size could ever be stored",
  })
  // Runs even when other keys failed (`when`), so one run reports every problem; hence the defensive reads.
  .superRefine(
    (parsed, ctx) => {
      const im = parsed as {
        adminApi?: unknown;
        adminCidrs?: unknown;
        edgeIdleTimeoutSeconds?: unknown;
        replicas?: unknown;
        sessions?: unknown;
        sessionsPerInstance?: unknown;
      };
      for (const issue of replicaIssues(im)) ctx.addIssue({ code: "custom", ...issue });
      const cidrs = Array.isArray(im.adminCidrs) ? im.adminCidrs : undefined;
      if (im.adminApi === true && cidrs?.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["adminCidrs"],
          message:
            "must name at least one network while adminApi is true: /api and /admin are for allow-listed networks",
        });
      if (im.adminApi === false && cidrs !== undefined && cidrs.length > 0)
        ctx.addIssue({
          code: "custom",
          path: ["adminApi"],
          message:
            "must be true when adminCidrs is set; otherwise /api and /admin are not published and the list is unused",
        });
      const idle = im.edgeIdleTimeoutSeconds;
      if (typeof idle === "number" && idle <= keepaliveSilenceSeconds)
        ctx.addIssue({
          code: "custom",
          path: ["edgeIdleTimeoutSeconds"],
          message:
            `must be longer than ${keepaliveSilenceSeconds} s (ping every ${xmppKeepalive.pingIntervalSeconds} s, ` +
            `answer within ${xmppKeepalive.pingAckTimeoutSeconds} s), or the Gateway cuts idle but live sessions`,
        });
    },
    { when: () => true },
  )
  .describe("The ejabberd IM service.");

/**
 * The cloud's cap on the relay range, as a config issue when the requested range is wider. `why` says which
 * load-balancer limit sets `max`; each kit's config rules call this with its own numbers.
 */
export function turnRelayPortsIssue(
  im: { turn?: unknown; turnRelayPorts?: unknown } | undefined,
  cloud: string,
  max: number,
  why: string,
): { key: string; value: unknown; message: string } | undefined {
  const ports = requestedTurnRelayPorts(im);
  if (ports === undefined || ports <= max) return undefined;
  return {
    key: `${NAMESPACE}:im.turnRelayPorts`,
    value: im?.turnRelayPorts,
    message: `must span at most ${max} ports on ${cloud} (it spans ${ports}): ${why}`,
  };
}

/**
 * How many relay ports `im.turnRelayPorts` asks for, when TURN is on and the range is one the schema accepts;
 * otherwise undefined (the schema reports a bad range itself). For the kits' listener-limit rules.
 */
export function requestedTurnRelayPorts(
  im: { turn?: unknown; turnRelayPorts?: unknown } | undefined,
): number | undefined {
  // Only these two keys: a bad value elsewhere under im must not hide the cloud's cap.
  const turn = imSchema.shape.turn.safeParse(im?.turn);
  const range = imSchema.shape.turnRelayPorts.safeParse(im?.turnRelayPorts);
  if (!turn.success || !turn.data || !range.success) return undefined;
  return range.data.to - range.data.from + 1;
}

/**
 * The `im` rules that need other keys. TURN over TLS needs a certificate for turn.<domain>, a name that points at the
 * TURN load balancer, where no HTTP-01 solver answers: only a DNS-01 issuer can issue it.
 */
export function imIssues(config: {
  im?: { turnTls?: unknown; turn?: unknown };
  acme?: { dns01?: unknown };
}): { path: string[]; message: string }[] {
  if (config.im?.turnTls !== true || config.im.turn === false || config.acme?.dns01) return [];
  return [
    {
      path: ["im", "turnTls"],
      message:
        "needs 'warbler:acme.dns01': the certificate for turn.<domain> cannot be issued by HTTP-01, because that " +
        "name points at the TURN load balancer, not the ingress",
    },
  ];
}

/** The ejabberd nodes a parsed `warbler:im` runs: `replicas` when set, else as many as `sessions` need, else 3. */
export function imReplicas(im: { replicas?: number; sessions?: number; sessionsPerInstance: number }): number {
  if (im.replicas !== undefined) return im.replicas;
  return im.sessions === undefined ? 3 : instancesFor(im.sessions, im.sessionsPerInstance);
}

/** `replicas` against `sessions`: an explicit count that cannot hold them, or a total no cluster can hold. */
function replicaIssues(im: {
  replicas?: unknown;
  sessions?: unknown;
  sessionsPerInstance?: unknown;
}): { path: string[]; message: string }[] {
  const sessions = im.sessions;
  const perInstance = im.sessionsPerInstance ?? 1_000_000;
  if (typeof sessions !== "number" || typeof perInstance !== "number" || perInstance <= 0) return [];
  const needed = minimumInstances(sessions, perInstance);
  if (typeof im.replicas === "number" && im.replicas < needed)
    return [
      {
        path: ["replicas"],
        message:
          `must be at least ${needed} to hold 'sessions' (${sessions}) at 'sessionsPerInstance' (${perInstance}); ` +
          `${needed + 1} also survives the loss of one instance`,
      },
    ];
  if (im.replicas === undefined && instancesFor(sessions, perInstance) > maxInstances)
    return [
      {
        path: ["sessions"],
        message:
          `needs ${instancesFor(sessions, perInstance)} instances at 'sessionsPerInstance' (${perInstance}), more ` +
          `than the ${maxInstances} one cluster runs; raise sessionsPerInstance or split the platform`,
      },
    ];
  return [];
}

/** The sizing of each ejabberd instance of a parsed `warbler:im`: its sessions, in a cluster of `imReplicas`. */
export function imSizingFor(im: { replicas?: number; sessions?: number; sessionsPerInstance: number }): ImSizing {
  return imSizing(im.sessionsPerInstance, imReplicas(im));
}

import tls from "node:tls";
import type { LocalImEndpoints } from "../../local/runner";

/**
 * Test helpers around @xmpp/client 0.14 (an ES module, hence the dynamic
 * import) and the local runner's admin API.
 */

type XmppModule = typeof import("@xmpp/client");
export type Element = import("@xmpp/client").Element;
let xmppModule: XmppModule | undefined;
export async function xmppLib(): Promise<XmppModule> {
  xmppModule ??= await import("@xmpp/client");
  return xmppModule;
}

/**
 * Trusts `pem` for TLS connections to `hosts`, in this process only, until
 * the returned function is called. @xmpp/client's STARTTLS gives no way to
 * pass a CA, so tls.connect is wrapped; verification stays on, and other
 * hosts keep the system CAs.
 */
export function trustCertificate(hosts: string[], pem: string): () => void {
  const original = tls.connect;
  const patched = ((...args: unknown[]) => {
    const options = args[0] as tls.ConnectionOptions | undefined;
    if (options && typeof options === "object" && hosts.includes(String(options.servername ?? options.host))) {
      return original({ ...options, ca: [pem] }, ...(args.slice(1) as []));
    }
    return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
  }) as typeof tls.connect;
  tls.connect = patched;
  return () => {
    tls.connect = original;
  };
}

export interface Session {
  xmpp: import("@xmpp/client").XmppClient;
  jid: string;
  /** Every stanza received so far. */
  received: Element[];
  /** Resolves with the first received stanza (past or future) that matches. */
  next(match: (stanza: Element) => boolean, timeoutMs?: number): Promise<Element>;
  stop(): Promise<void>;
}

/** Logs in and sends initial presence. */
export async function login(
  service: string,
  domain: string,
  username: string,
  password: string,
  resource = "e2e",
): Promise<Session> {
  const { client, xml } = await xmppLib();
  // @xmpp/connection waits 2 s for each stream step by default; in `npm test` this file shares two cores with every
  // other tier, and a STARTTLS stream reopen once took longer than that.
  const xmpp = client({ service, domain, username, password, resource, timeout: 15_000 });
  // A session still open when the server goes away would reconnect every second for ever, and that timer
  // kept this test file's process (and CI) running. Tests log in again explicitly instead.
  xmpp.reconnect.stop();
  const received: Element[] = [];
  const waiters: { match: (s: Element) => boolean; resolve: (s: Element) => void }[] = [];
  xmpp.on("error", () => undefined);
  xmpp.on("stanza", (stanza: Element) => {
    received.push(stanza);
    for (const w of waiters.filter((w) => w.match(stanza))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(stanza);
    }
  });
  const address = await xmpp.start().catch(async (err: Error) => {
    await xmpp.stop().catch(() => undefined);
    throw err;
  });
  await xmpp.send(xml("presence", {}));
  return {
    xmpp,
    jid: address.toString(),
    received,
    next(match, timeoutMs = 10_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching stanza within ${timeoutMs} ms for ${username}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      });
    },
    async stop() {
      await xmpp.stop().catch(() => undefined);
    },
  };
}

export const bodyOf = (stanza: Element): string | undefined => stanza.getChildText("body") ?? undefined;

/** Calls mod_http_api; returns the HTTP status and the parsed answer. */
export async function callApi(
  im: LocalImEndpoints,
  command: string,
  body: object,
  credentials: { jid: string; password: string } | null = im.admin,
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (credentials)
    headers.authorization = `Basic ${Buffer.from(`${credentials.jid}:${credentials.password}`).toString("base64")}`;
  const res = await fetch(`${im.api}/${command}`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, answer: (await res.json()) as unknown };
}

/** Reads one sample of a metric from Prometheus text. */
export function metricValue(text: string, metric: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${metric} `));
  return line === undefined ? undefined : Number(line.slice(metric.length + 1));
}

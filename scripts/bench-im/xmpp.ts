import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import type { TcpNetConnectOpts } from "node:net";
import { type ConnectionOptions, connect } from "node:tls";
import type { Transport } from "./plan";
import { WsConnection } from "./websocket";

/**
 * A minimal XMPP client for the benchmark: @xmpp/client spends about 150 ms of CPU on SCRAM per login, which would
 * measure the client. SCRAM's PBKDF2 runs once per process because every bench user shares salt and password.
 * It answers the server's XEP-0199 pings (the chart's mod_ping kills a session that does not answer in 32 s).
 */

export interface Endpoint {
  transport: Transport;
  host: string;
  /** Direct-TLS port (tls) or HTTP port serving /ws (ws). */
  port: number;
  /** PEM the TLS client trusts. */
  ca: string;
  domain: string;
  localAddress: string;
}

/** Epoch milliseconds with sub-millisecond precision, comparable between processes of one host. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** One authenticated session over direct TLS or WebSocket. */
export class Session {
  private buffer = "";
  private waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  /** Called with the one-way latency of each benchmark message received. */
  onMessage?: (latencyMs: number) => void;
  closed = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly destroy: () => void,
  ) {}

  receive(text: string): void {
    this.buffer += text;
    for (const m of this.buffer.matchAll(/<message\b[^>]*>[\s\S]*?<\/message>/g)) {
      const t = /<body>t=([\d.]+)<\/body>/.exec(m[0]);
      if (t) this.onMessage?.(nowMs() - Number(t[1]));
    }
    this.buffer = this.buffer.replace(/<message\b[^>]*>[\s\S]*?<\/message>/g, "");
    for (const m of this.buffer.matchAll(/<iq\b([^>]*)>\s*<ping xmlns=['"]urn:xmpp:ping['"]\s*\/>\s*<\/iq>/g)) {
      const id = /\bid=['"]([^'"]*)['"]/.exec(m[1])?.[1] ?? "";
      const from = /\bfrom=['"]([^'"]*)['"]/.exec(m[1])?.[1];
      this.write(`<iq type='result' id='${id}'${from ? ` to='${from}'` : ""}/>`);
    }
    this.buffer = this.buffer.replace(/<iq\b[^>]*>\s*<ping xmlns=['"]urn:xmpp:ping['"]\s*\/>\s*<\/iq>/g, "");
    for (const w of [...this.waiters]) {
      const m = this.buffer.match(w.pattern);
      if (m) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        this.buffer = this.buffer.slice((m.index ?? 0) + m[0].length);
        w.resolve(m);
      }
    }
    if (this.waiters.length === 0) {
      // Keep only a stanza still arriving; everything complete before it has been handled or is of no interest.
      const partial = Math.max(this.buffer.lastIndexOf("<message"), this.buffer.lastIndexOf("<iq"));
      this.buffer = partial < 0 ? "" : this.buffer.slice(partial);
    }
  }

  send(text: string): void {
    if (!this.closed) this.write(text);
  }

  expect(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const m = this.buffer.match(pattern);
    if (m) {
      this.buffer = this.buffer.slice((m.index ?? 0) + m[0].length);
      return Promise.resolve(m);
    }
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`timeout waiting for ${pattern}`)), timeoutMs);
      this.waiters.push({
        pattern,
        resolve: (x) => {
          clearTimeout(timer);
          ok(x);
        },
      });
    });
  }

  close(): void {
    this.closed = true;
    this.destroy();
  }
}

function openTls(e: Endpoint, timeoutMs: number): Promise<Session> {
  return new Promise((ok, fail) => {
    // tls.connect passes socket.connect() options such as localAddress on (nodejs.org/api/tls.html, tls.connect).
    const options: ConnectionOptions & TcpNetConnectOpts = {
      host: e.host,
      port: e.port,
      ca: [e.ca],
      servername: e.domain,
      localAddress: e.localAddress,
    };
    const socket = connect(options);
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new Error("timeout in the TLS handshake"));
    }, timeoutMs);
    socket.once("error", (err) => {
      clearTimeout(timer);
      fail(err);
    });
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const session = new Session(
        (t) => socket.write(t),
        () => socket.destroy(),
      );
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => session.receive(chunk));
      socket.on("error", () => undefined);
      socket.once("close", () => (session.closed = true));
      ok(session);
    });
  });
}

async function openWs(e: Endpoint, timeoutMs: number): Promise<Session> {
  const ws = await WsConnection.open(
    { host: e.host, port: e.port, path: "/ws", localAddress: e.localAddress },
    timeoutMs,
  );
  const session = new Session(
    (t) => ws.send(t),
    () => ws.close(),
  );
  ws.onText = (t) => session.receive(t);
  ws.onClose(() => (session.closed = true));
  return session;
}

const saltedCache = new Map<string, Buffer>();
const hmac = (key: Buffer, text: string) => createHmac("sha1", key).update(text).digest();

/** Opens, authenticates (SCRAM-SHA-1), binds and sends initial presence; rejects after `timeoutMs`. */
export async function login(e: Endpoint, user: string, password: string, timeoutMs = 30_000): Promise<Session> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const s = e.transport === "ws" ? await openWs(e, left()) : await openTls(e, left());
  try {
    const header =
      e.transport === "ws"
        ? `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='${e.domain}' version='1.0'/>`
        : `<?xml version='1.0'?><stream:stream to='${e.domain}' xmlns='jabber:client' ` +
          `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;
    s.send(header);
    await s.expect(/<\/stream:features>/, left());
    const nonce = randomBytes(12).toString("base64");
    const clientFirstBare = `n=${user},r=${nonce}`;
    const first = Buffer.from(`n,,${clientFirstBare}`).toString("base64");
    s.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>${first}</auth>`);
    const challenge = Buffer.from((await s.expect(/<challenge[^>]*>([^<]+)<\/challenge>/, left()))[1], "base64");
    const text = challenge.toString();
    const fields = Object.fromEntries(text.split(",").map((kv) => [kv[0], kv.slice(2)]));
    const cacheKey = `${fields.s}:${fields.i}`;
    let salted = saltedCache.get(cacheKey);
    if (!salted) {
      salted = pbkdf2Sync(password, Buffer.from(fields.s, "base64"), Number(fields.i), 20, "sha1");
      saltedCache.set(cacheKey, salted);
    }
    const clientKey = hmac(salted, "Client Key");
    const storedKey = createHash("sha1").update(clientKey).digest();
    const finalNoProof = `c=biws,r=${fields.r}`;
    const signature = hmac(storedKey, `${clientFirstBare},${text},${finalNoProof}`);
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i])).toString("base64");
    const response = Buffer.from(`${finalNoProof},p=${proof}`).toString("base64");
    s.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${response}</response>`);
    await s.expect(/<success[^>]*>/, left());
    s.send(header);
    await s.expect(/<\/stream:features>/, left());
    s.send(
      `<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bench</resource></bind></iq>`,
    );
    await s.expect(
      /<iq [^>]*id=['"]bind['"][^>]*type=['"]result['"]|<iq [^>]*type=['"]result['"][^>]*id=['"]bind['"]/,
      left(),
    );
    s.send("<presence/>");
    return s;
  } catch (err) {
    s.close();
    throw err;
  }
}

import { createServer, isIP, type Server, type Socket, connect as tcpConnect } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";

/**
 * ejabberd's PostgreSQL connection, made TLS with the server's host name verified. ejabberd cannot do it itself:
 * p1_pgsql upgrades its socket with `ssl:connect(Sock, Opts)` and ejabberd passes no server name
 * (`ejabberd_sql:get_ssl_opts/2`), so Erlang checks the certificate against the peer's IP address and every managed
 * database's certificate, which names a DNS host, fails with hostname_check_failed (processone/ejabberd#4180, open;
 * reproduced in test/e2e/database-roles.test.ts). So ejabberd speaks plain PostgreSQL to this proxy on loopback, in
 * its own pod (`sql_ssl: false` towards it), and the proxy opens the database connection with PostgreSQL's own TLS
 * negotiation and Node's host name check. Pure Node, no dependencies: it is bundled into the ejabberd ConfigMap.
 *
 * PostgreSQL's negotiation (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL, "SSL
 * Session Encryption"): the frontend sends an SSLRequest (Int32 8, Int32 80877103) instead of a StartupMessage; the
 * server answers one byte, `S` (willing) or `N` (unwilling), and "the frontend might close the connection at this
 * point if it is dissatisfied with the response". After `S` the TLS handshake follows, then the usual StartupMessage
 * inside TLS. The proxy closes on anything but `S`: it never falls back to plaintext.
 */

/** SSLRequest's code: 1234 in the high 16 bits, 5679 in the low (protocol-message-formats.html, SSLRequest). */
export const sslRequestCode = 80_877_103;
/** GSSENCRequest's code (same page): the proxy declines GSSAPI encryption the same way, with `N`. */
export const gssEncRequestCode = 80_877_104;

/** PostgreSQL's SSLRequest message: Int32 length 8, Int32 code. */
export function sslRequest(): Buffer {
  const message = Buffer.alloc(8);
  message.writeInt32BE(8, 0);
  message.writeInt32BE(sslRequestCode, 4);
  return message;
}

/** One structured log event; never holds a password or a message body. */
export type ProxyLogEvent = Record<string, string | number | undefined> & { event: string };

export interface SqlTlsProxyOptions {
  /** Where ejabberd connects in plain TCP: loopback in the pod. */
  listen: { host: string; port: number };
  /** The database as its certificate names it. */
  upstream: { host: string; port: number };
  /**
   * PEM bundle of the CAs that may sign the database's certificate, or a function returning it: read for each new
   * connection, so a rotated CA (a Secret volume updates in place) is used without a restart.
   */
  ca: string | (() => string);
  /** Host name the certificate must name (SNI and Node's checkServerIdentity). @default - upstream.host */
  servername?: string;
  /** TCP connect, SSLRequest answer and TLS handshake, in all. @default 10000 */
  handshakeTimeoutMs?: number;
  /** Receives one event per refused or failed connection. @default - a JSON line on stderr */
  log?: (event: ProxyLogEvent) => void;
}

export interface SqlTlsProxy {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/** Starts the proxy; resolves once it listens. */
export async function startSqlTlsProxy(options: SqlTlsProxyOptions): Promise<SqlTlsProxy> {
  const log = options.log ?? ((event: ProxyLogEvent) => process.stderr.write(`${JSON.stringify(event)}\n`));
  const servername = options.servername ?? options.upstream.host;
  const timeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };
  const upstream = `${options.upstream.host}:${options.upstream.port}`;

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    // Errors are handled where the connection is torn down; an unhandled 'error' would end the process.
    client.on("error", () => undefined);
    void serve(client).catch((err: NodeJS.ErrnoException) => {
      // A client that connects and leaves without a word (a port check) is no failure.
      if (err.code !== clientGone)
        log({ level: "error", event: "connection-refused", upstream, servername, code: err.code, reason: err.message });
      client.destroy();
    });
  });

  async function serve(client: Socket): Promise<void> {
    const head = await clientStartup(client, timeoutMs);
    const raw = tcpConnect({ host: options.upstream.host, port: options.upstream.port });
    track(raw);
    raw.on("error", () => undefined);
    // The client may leave while the upstream is being set up: then nothing more is done for it.
    const abandon = () => raw.destroy();
    client.once("close", abandon);
    let secure: TLSSocket;
    try {
      secure = await upgrade(raw, typeof options.ca === "function" ? options.ca() : options.ca, servername, timeoutMs);
    } catch (err) {
      raw.destroy();
      throw err;
    } finally {
      client.off("close", abandon);
    }
    if (client.destroyed) {
      secure.destroy();
      return;
    }
    track(secure);
    // Both ways. An end is passed on by the pipes (so a last Terminate message still arrives); a close or an error
    // on either side closes both, so ejabberd sees a lost connection and reconnects.
    const closeBoth = () => {
      client.destroy();
      secure.destroy();
    };
    for (const side of [client, secure]) {
      side.once("close", closeBoth);
      side.on("error", closeBoth);
    }
    secure.write(head);
    client.pipe(secure);
    secure.pipe(client);
    client.resume();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.listen.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}

/**
 * The client's first message, after answering `N` to any SSLRequest or GSSENCRequest: ejabberd runs with
 * `sql_ssl: false` towards the proxy, and a client that asks anyway is told to continue in plain TCP, which stays in
 * the pod. Returns the bytes read (the start of the StartupMessage or CancelRequest), to forward inside TLS.
 */
async function clientStartup(client: Socket, timeoutMs: number): Promise<Buffer> {
  for (;;) {
    // Every startup-phase message is at least 8 bytes: Int32 length and Int32 code or protocol version.
    const head = await readExactly(client, 8, timeoutMs, "the client's startup message").catch((err) => {
      throw (err as NodeJS.ErrnoException).code === "ECONNRESET" ? named(clientGone, "the client left") : err;
    });
    const code = head.readInt32BE(4);
    if (head.readInt32BE(0) !== 8 || (code !== sslRequestCode && code !== gssEncRequestCode)) return head;
    client.write("N");
  }
}

/** SSLRequest on the raw socket, then TLS after `S` with the host name checked; refuses anything else. */
async function upgrade(raw: Socket, ca: string, servername: string, timeoutMs: number): Promise<TLSSocket> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(named("ETIMEDOUT", "connecting to the database timed out")), timeoutMs);
    raw.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    raw.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  raw.write(sslRequest());
  const answer = await readExactly(raw, 1, timeoutMs, "the database's answer to SSLRequest");
  if (answer[0] !== "S".charCodeAt(0)) {
    const what = answer[0] === "N".charCodeAt(0) ? "'N': the server refuses TLS" : `byte 0x${answer.toString("hex")}`;
    throw named("EPROTO_NO_TLS", `the database answered SSLRequest with ${what}; plaintext is never used`);
  }
  return new Promise<TLSSocket>((resolve, reject) => {
    // rejectUnauthorized and Node's default checkServerIdentity: the chain must lead to `ca`, and the certificate
    // must name `servername` (a DNS SAN, or the IP SAN for an address).
    // An address is checked the same way but not sent as SNI, which names hosts only (RFC 6066, section 3).
    const name = isIP(servername) ? { host: servername } : { servername };
    const secure = tlsConnect({ socket: raw, ...name, ca, minVersion: "TLSv1.2", rejectUnauthorized: true });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(named("ETIMEDOUT", "the TLS handshake with the database timed out"));
    }, timeoutMs);
    secure.once("secureConnect", () => {
      clearTimeout(timer);
      resolve(secure);
    });
    secure.once("error", (err) => {
      clearTimeout(timer);
      secure.destroy();
      reject(err);
    });
  });
}

/**
 * Exactly `n` bytes from a socket, which is left paused with any further bytes put back (`unshift`), for the pipe or
 * the TLS layer that follows. 'data' and pause/resume only: a 'readable' listener would keep the socket from flowing.
 */
function readExactly(socket: Socket, n: number, timeoutMs: number, what: string): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const done = (finish: () => void) => {
      clearTimeout(timer);
      socket.pause();
      socket.off("data", received);
      socket.off("end", ended);
      socket.off("close", ended);
      socket.off("error", failed);
      finish();
    };
    const received = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < n) return;
      done(() => {
        if (buffered.length > n) socket.unshift(buffered.subarray(n));
        resolve(buffered.subarray(0, n));
      });
    };
    const ended = () => done(() => reject(named("ECONNRESET", `the connection closed before ${what}`)));
    const failed = (err: Error) => done(() => reject(err));
    const timer = setTimeout(() => done(() => reject(named("ETIMEDOUT", `timed out waiting for ${what}`))), timeoutMs);
    socket.on("data", received);
    socket.once("end", ended);
    socket.once("close", ended);
    socket.once("error", failed);
    socket.resume();
  });
}

/** The client closed before its first message (a TCP probe). */
const clientGone = "ECLIENTGONE";

function named(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

/**
 * The client side of RFC 6455, just enough for XMPP over WebSocket (RFC 7395) against ejabberd's /ws: one text
 * message per stanza, pings answered. Written here because a socket must bind to its own loopback source address
 * (`localAddress`), which Node 20's WebSocket cannot.
 */
export interface WsOptions {
  host: string;
  port: number;
  path: string;
  localAddress?: string;
}

/** Encodes one client frame: FIN set, masked as RFC 6455 section 5.3 requires of a client. */
export function encodeFrame(opcode: number, payload: Buffer, mask: Buffer = randomBytes(4)): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = 0x80 | len;
  else if (len < 65_536) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([head, mask, body]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Decodes the complete (unmasked, server) frames at the start of `data`; returns them and the bytes left over. */
export function decodeFrames(data: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (data.length - at < 2) break;
    const fin = (data[at] & 0x80) !== 0;
    const opcode = data[at] & 0x0f;
    const masked = (data[at + 1] & 0x80) !== 0;
    let len = data[at + 1] & 0x7f;
    let head = 2;
    if (len === 126) {
      if (data.length - at < 4) break;
      len = data.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (data.length - at < 10) break;
      len = Number(data.readBigUInt64BE(at + 2));
      head = 10;
    }
    const maskLen = masked ? 4 : 0;
    if (data.length - at < head + maskLen + len) break;
    const start = at + head + maskLen;
    let payload = data.subarray(start, start + len);
    if (masked) {
      const mask = data.subarray(at + head, at + head + 4);
      payload = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    }
    frames.push({ fin, opcode, payload });
    at = start + len;
  }
  return { frames, rest: data.subarray(at) };
}

/** An open WebSocket: text messages in, text messages out. */
export class WsConnection {
  onText?: (text: string) => void;
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  static open(options: WsOptions, timeoutMs: number): Promise<WsConnection> {
    return new Promise((ok, fail) => {
      const socket = connect({ host: options.host, port: options.port, localAddress: options.localAddress });
      const timer = setTimeout(() => {
        socket.destroy();
        fail(new Error("timeout opening the WebSocket"));
      }, timeoutMs);
      socket.once("error", (err) => {
        clearTimeout(timer);
        fail(err);
      });
      socket.once("connect", () => {
        const key = randomBytes(16).toString("base64");
        socket.write(
          `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\nUpgrade: websocket\r\n` +
            `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
            "Sec-WebSocket-Protocol: xmpp\r\n\r\n",
        );
      });
      let head = Buffer.alloc(0);
      const onHead = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        socket.off("data", onHead);
        clearTimeout(timer);
        const status = head.subarray(0, head.indexOf("\r\n")).toString();
        if (!/^HTTP\/1\.1 101/.test(status)) {
          socket.destroy();
          fail(new Error(`WebSocket upgrade refused: ${status}`));
          return;
        }
        const ws = new WsConnection(socket);
        ok(ws);
        const rest = head.subarray(end + 4);
        if (rest.length > 0) ws.receive(rest);
      };
      socket.on("data", onHead);
    });
  }

  send(text: string): void {
    this.socket.write(encodeFrame(0x1, Buffer.from(text)));
  }

  close(): void {
    this.socket.destroy();
  }

  onClose(callback: () => void): void {
    this.socket.once("close", callback);
  }

  private receive(chunk: Buffer): void {
    const { frames, rest } = decodeFrames(this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk);
    this.pending = rest;
    for (const f of frames) {
      if (f.opcode === 0x9) this.socket.write(encodeFrame(0xa, f.payload));
      else if (f.opcode === 0x8) this.socket.destroy();
      else if (f.opcode === 0x1 || f.opcode === 0x0) {
        this.fragments.push(f.payload);
        if (f.fin) {
          const text = Buffer.concat(this.fragments).toString("utf8");
          this.fragments = [];
          this.onText?.(text);
        }
      }
    }
  }
}

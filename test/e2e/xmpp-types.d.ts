/** The slice of @xmpp/client 0.14 (which ships no types) that the tests use. */
declare module "@xmpp/client" {
  export interface Element {
    name: string;
    attrs: Record<string, string>;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    text(): string;
    toString(): string;
  }
  export function xml(name: string, attrs?: Record<string, string>, ...children: (Element | string)[]): Element;
  export interface XmppClient {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(element: Element): Promise<void>;
    on(event: "stanza", listener: (stanza: Element) => void): void;
    on(event: "error" | "offline" | "online", listener: (...args: unknown[]) => void): void;
    iqCaller: { request(element: Element, timeoutMs?: number): Promise<Element> };
    /** Reconnects a second after every disconnect the client did not ask for, until stopped. */
    reconnect: { stop(): void };
  }
  export function client(options: {
    service: string;
    domain: string;
    username?: string;
    password?: string;
    resource?: string;
    /** Milliseconds each stream step (open, STARTTLS reopen, close) may take (@xmpp/connection). @default 2000 */
    timeout?: number;
  }): XmppClient;
}

// Types for the parts of xmpp.js (ESM, untyped) that this project uses. Kept to what we call,
// so a wrong call is a compile error rather than a runtime surprise.

declare module '@xmpp/xml' {
  import { EventEmitter } from 'node:events';

  export type Node = Element | string;

  export class Element {
    constructor(name: string, attrs?: Record<string, string | number | undefined>);
    name: string;
    attrs: Record<string, string>;
    children: Node[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getName(): string;
    getNS(): string | undefined;
    getAttr(name: string, xmlns?: string): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(value?: string): string;
    attr(name: string, value?: string): string | undefined;
    c(name: string, attrs?: Record<string, string | number | undefined>): Element;
    cnode<T extends Element>(child: T): T;
    t(text: string): Element;
    up(): Element;
    root(): Element;
    append(...nodes: Node[]): void;
    remove(el: Element | string, xmlns?: string): Element;
    toString(): string;
  }

  export class Parser extends EventEmitter {
    constructor();
    write(data: string): void;
    end(data?: string): void;
  }

  export class XMLError extends Error {}

  export function escapeXML(s: string): string;
  export function escapeXMLText(s: string): string;
  export function unescapeXML(s: string): string;

  type Child = Node | Node[] | null | undefined | false;
  export function xml(name: string, attrs?: Record<string, string | number | undefined> | null, ...children: Child[]): Element;
  export default xml;
}

declare module '@xmpp/client' {
  import type { Element } from '@xmpp/xml';
  import { EventEmitter } from 'node:events';

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    toString(): string;
    bare(): JID;
  }

  /** What `authenticate` (the `done` of @xmpp/sasl and @xmpp/sasl2) accepts. */
  export interface SaslCredentials {
    username?: string;
    password?: string;
  }

  /**
   * `credentials` as a function replaces the library's mechanism choice (client/lib/createOnAuthenticate.js):
   * it gets the offered mechanisms the library supports, in its priority order, and must call `authenticate`.
   */
  export type CredentialsHandler = (
    authenticate: (credentials: SaslCredentials, mechanism: string, userAgent?: Element) => Promise<void>,
    mechanisms: string[],
    fast: unknown,
    entity: Client,
  ) => Promise<void>;

  export interface ClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
    credentials?: CredentialsHandler;
    lang?: string;
    timeout?: number;
  }

  export type Status =
    | 'online'
    | 'offline'
    | 'connecting'
    | 'connect'
    | 'opening'
    | 'open'
    | 'closing'
    | 'close'
    | 'disconnecting'
    | 'disconnect';

  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
    get(child: Element, to?: string, timeout?: number): Promise<Element>;
    set(child: Element, to?: string, timeout?: number): Promise<Element>;
  }

  export interface Reconnect extends EventEmitter {
    delay: number;
    stop(): void;
    /** Emitted as each attempt starts. */
    on(event: 'reconnecting', listener: () => void): this;
  }

  /** XEP-0198 (@xmpp/stream-management). */
  export interface StreamManagement extends EventEmitter {
    /**
     * A dropped stream was resumed: the session, its presence and its rooms are as they were. The
     * client goes online again WITHOUT an 'online' event (only its status changes, silently).
     */
    on(event: 'resumed', listener: () => void): this;
  }

  export interface Client extends EventEmitter {
    jid: JID | null;
    status: Status;
    iqCaller: IqCaller;
    reconnect: Reconnect;
    streamManagement: StreamManagement;
    /** True once the socket is TLS (xmpps://, wss:// or after STARTTLS). */
    isSecure(): boolean;
    start(): Promise<JID>;
    stop(): Promise<void>;
    send(...elements: Element[]): Promise<void>;
    on(event: 'stanza' | 'element' | 'send' | 'nonza', listener: (element: Element) => void): this;
    on(event: 'online', listener: (jid: JID) => void): this;
    on(event: 'offline', listener: () => void): this;
    on(event: 'status', listener: (status: Status) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export function client(options: ClientOptions): Client;
  export { xml } from '@xmpp/xml';
  export function jid(local: string, domain?: string, resource?: string): JID;
}

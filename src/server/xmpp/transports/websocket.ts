// XMPP over WebSocket (RFC 7395), what the browser SDK (Strophe) speaks: sub-protocol `xmpp`, one
// complete element per text frame, `<open/>`/`<close/>` in the framing namespace instead of the
// `<stream:stream>` document. Each frame is parsed on its own, so a restart needs no parser reset.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccessPolicy } from '../../access';
import { Parser, xml, type Element } from '@xmpp/xml';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { NS } from '../../../shared/stanza';
import { serialize } from '../serialize';
import { XmppStream, type Framing, type StreamContext } from '../stream';
import { corkPerTick } from './coalesce';
import { CLOSE_GRACE_MS, type LiveStreams } from './liveStreams';

export const WEBSOCKET_PATH = '/ws';

export interface WebSocketOptions {
  httpServer: Server;
  access: AccessPolicy;
  context: StreamContext;
  streams: LiveStreams;
}

export interface WebSocketListener {
  close(): Promise<void>;
}

export function attachWebSocket(options: WebSocketOptions): WebSocketListener {
  const wss = new WebSocketServer({
    noServer: true,
    // Frames up to twice the stanza limit still arrive, so the client gets a proper
    // <policy-violation/> rather than a bare WebSocket close 1009.
    maxPayload: options.context.limits.maxStanzaBytes * 2,
    handleProtocols: (protocols) => (protocols.has('xmpp') ? 'xmpp' : false),
  });
  // This is the HTTP server's only upgrade listener, so it answers every upgrade: an unanswered one
  // would hang until the client gives up. Browsers send any page's Origin on a WebSocket handshake
  // (CORS does not apply), so the access policy is checked here as for REST.
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== WEBSOCKET_PATH) return refuseUpgrade(socket, '404 Not Found');
    const { host, origin } = request.headers;
    if (!options.access.allowsHost(host) || !options.access.allowsOrigin(origin)) {
      options.context.logger.warn(`xmpp websocket refused: Host ${host ?? '-'}, Origin ${origin ?? '-'}`);
      return refuseUpgrade(socket, '403 Forbidden');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new WebSocketConnection(ws, socket, options);
      options.streams.admit(connection.stream, request.socket.remoteAddress ?? '', connection.gone);
    });
  };
  options.httpServer.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        options.httpServer.off('upgrade', onUpgrade);
        wss.close(() => resolve());
      }),
  };
}

class WebSocketConnection implements Framing {
  readonly kind = 'websocket';
  readonly stream: XmppStream;
  readonly gone: Promise<void>;
  private graceTimer: NodeJS.Timeout | undefined;
  /** Corks the upgraded socket (the one ws writes its frames to) until the end of the tick (coalesce.ts). */
  private readonly hold: () => void;

  constructor(
    private readonly ws: WebSocket,
    socket: Duplex,
    private readonly options: WebSocketOptions,
  ) {
    this.hold = corkPerTick(socket);
    this.stream = new XmppStream(this, options.context);
    this.gone = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('error', (error) => options.context.logger.debug(`xmpp ${this.stream.label} websocket error: ${error.message}`));
    ws.once('close', () => {
      clearTimeout(this.graceTimer);
      this.stream.onDisconnect();
    });
  }

  open(id: string, from: string): void {
    this.write(xml('open', { xmlns: NS.framing, id, from, version: '1.0', 'xml:lang': 'en' }));
  }

  send(element: Element): void {
    this.write(element);
  }

  restart(): void {
    // Nothing to reset: every frame is a document of its own.
  }

  close(): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.write(xml('close', { xmlns: NS.framing }));
    this.ws.close(1000);
    // ws waits up to 30 s for the client's close frame; a closed stream should not linger that long.
    this.graceTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
  }

  /** RFC 7395 §3.3.3: every frame's element declares its namespaces itself. */
  private write(element: Element): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    let declaration: [string, string] | undefined;
    if (element.name.startsWith('stream:') && !element.attrs['xmlns:stream']) declaration = ['xmlns:stream', NS.stream];
    else if (!element.attrs.xmlns) declaration = ['xmlns', NS.client];
    this.hold();
    this.ws.send(serialize(element, declaration));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.stream.closed) return;
    if (isBinary) return this.stream.fail('bad-format', 'XMPP frames are text frames');
    const text = rawText(data);
    const max = this.options.context.limits.maxStanzaBytes;
    if (Buffer.byteLength(text) > max) return this.stream.fail('policy-violation', `Stanza larger than ${max} bytes`);
    const element = parseFrame(text);
    if (!element) return this.stream.fail('not-well-formed', 'A frame must hold exactly one complete element');
    if (element.name === 'open' || element.name === 'close') {
      if (element.attrs.xmlns !== NS.framing) return this.stream.fail('invalid-namespace', `Expected <${element.name} xmlns="${NS.framing}"/>`);
      return element.name === 'open' ? this.stream.onOpen(element.attrs) : this.stream.onClose();
    }
    this.stream.onElement(element);
  }
}

/** Answers the handshake with a plain HTTP status and closes the socket once that is written. */
function refuseUpgrade(socket: Duplex, status: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The frame's single element, or undefined when it is malformed, incomplete or holds more than one. */
function parseFrame(text: string): Element | undefined {
  // The stream parser emits the children of its root, so the frame is parsed inside a wrapper root;
  // a frame that closes the wrapper itself shows up as a second element or a second end.
  const parser = new Parser();
  const elements: Element[] = [];
  let ends = 0;
  let valid = true;
  parser.on('element', (element: Element) => elements.push(element));
  parser.on('end', (root: Element) => {
    ends++;
    if (root.getText().trim()) valid = false;
  });
  parser.on('error', () => (valid = false));
  try {
    parser.write(`<frame>${text}</frame>`);
  } catch {
    valid = false;
  }
  if (!valid || ends !== 1 || elements.length !== 1) return undefined;
  const [element] = elements;
  element.parent = null;
  return element;
}

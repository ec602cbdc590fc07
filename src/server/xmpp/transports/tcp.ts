// XMPP over TCP (RFC 6120 §4): one XML document per stream, parsed incrementally. The Node SDK
// (node-xmpp-client) connects here; there is no STARTTLS because the local server is loopback only.
import { createServer, type Server, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { escapeXML, Parser, type Element } from '@xmpp/xml';
import { NS } from '../../../shared/stanza';
import { serialize } from '../serialize';
import { XmppStream, type Framing, type StreamContext } from '../stream';
import { TickWriter } from './coalesce';
import { CLOSE_GRACE_MS, type LiveStreams } from './liveStreams';

export interface TcpOptions {
  host: string;
  port: number;
  context: StreamContext;
  streams: LiveStreams;
}

export interface TcpListener {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenTcp(options: TcpOptions): Promise<TcpListener> {
  const server: Server = createServer((socket) => {
    const connection = new TcpConnection(socket, options);
    options.streams.admit(connection.stream, socket.remoteAddress ?? '', connection.gone);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.context.logger.info(`xmpp c2s listening on ${options.host}:${port}`);
  return {
    port,
    // Stops accepting; the caller shuts the live streams down, after which the server's close completes.
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

class TcpConnection implements Framing {
  readonly kind = 'tcp';
  readonly stream: XmppStream;
  readonly gone: Promise<void>;
  private readonly decoder = new StringDecoder('utf8');
  private parser: Parser;
  /** ltx reports whitespace before the first tag as text outside the document (an error); RFC 6120 allows it. */
  private leading = true;
  /** Bytes since the last complete top-level element; see onData. */
  private pendingBytes = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  /** One socket write per tick (coalesce.ts). */
  private readonly out: TickWriter;

  constructor(
    private readonly socket: Socket,
    private readonly options: TcpOptions,
  ) {
    this.out = new TickWriter((text) => {
      if (!socket.writableEnded && !socket.destroyed) socket.write(text);
    });
    this.stream = new XmppStream(this, options.context);
    this.parser = this.createParser();
    this.gone = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => options.context.logger.debug(`xmpp ${this.stream.label} socket error: ${error.message}`));
    socket.once('close', () => {
      clearTimeout(this.graceTimer);
      this.stream.onDisconnect();
    });
  }

  open(id: string, from: string): void {
    this.write(
      `<?xml version='1.0'?><stream:stream xmlns="${NS.client}" xmlns:stream="${NS.stream}" ` +
        `id="${escapeXML(id)}" from="${escapeXML(from)}" version="1.0" xml:lang="en">`,
    );
  }

  send(element: Element): void {
    this.write(serialize(element));
  }

  restart(): void {
    // Called from inside the old parser's write(); muting it drops the rest of that chunk, which
    // RFC 6120 §6.4.6 forbids the client to send before it has seen <success/>.
    this.parser.removeAllListeners();
    this.parser = this.createParser();
    this.leading = true;
    this.pendingBytes = 0;
  }

  close(): void {
    if (this.socket.writableEnded) return;
    this.out.flush();
    this.socket.end('</stream:stream>');
    // RFC 6120 §4.4: wait for the client's closing tag, but not forever.
    this.graceTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
  }

  private write(text: string): void {
    if (this.socket.writableEnded || this.socket.destroyed) return;
    this.out.write(text);
  }

  private onData(chunk: Buffer): void {
    if (this.stream.closed) return;
    // The limit is checked per chunk: it catches an oversize stanza at most one read (64 KiB) late,
    // before it is buffered whole.
    this.pendingBytes += chunk.length;
    const max = this.options.context.limits.maxStanzaBytes;
    if (this.pendingBytes > max) {
      this.stream.fail('policy-violation', `Stanza larger than ${max} bytes`);
      return;
    }
    let text = this.decoder.write(chunk);
    if (this.leading) {
      text = text.trimStart();
      if (!text) return;
      this.leading = false;
    }
    try {
      this.parser.write(text);
    } catch (error) {
      // ltx throws on an unknown entity or an illegal character reference.
      this.stream.fail('not-well-formed', error instanceof Error ? error.message : undefined);
    }
  }

  /** A parser for the (re)started stream: a restart begins a new XML document (RFC 6120 §4.3.3). */
  private createParser(): Parser {
    const parser = new Parser();
    let root: Element | undefined;
    parser.on('start', (header: Element) => {
      root = header;
      if (header.name !== 'stream:stream' || header.attrs['xmlns:stream'] !== NS.stream || header.attrs.xmlns !== NS.client) {
        this.stream.fail('invalid-namespace', 'Expected <stream:stream xmlns="jabber:client">');
        return;
      }
      this.stream.onOpen(header.attrs);
    });
    parser.on('element', (element: Element) => {
      this.pendingBytes = 0;
      // The parser keeps whitespace keep-alives as text of the stream root; drop them so a
      // long-lived stream does not grow.
      if (root) root.children = [];
      this.stream.onElement(element);
    });
    parser.on('end', () => this.stream.onClose());
    parser.on('error', (error: Error) => this.stream.fail('not-well-formed', error.message));
    return parser;
  }
}

// `node dist/server.js [options]`: runs the local server until SIGINT/SIGTERM, or until the parent
// that forked it goes away (so the VS Code extension never leaves an orphan behind).
// stdout carries exactly one line, `ready {json}`, once listening; every log line goes to stderr.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatReadyLine, LOCAL_DEFAULTS } from '../shared/localServer';
import { stderrLogger } from '../shared/logger';
import { startLocalServer, type LocalServerOptions } from './localServer';
import { errorMessage } from '../shared/errors';
import { DEFAULT_LIMITS, MIN_STANZA_BYTES, type XmppLimits } from './xmpp/limits';

const DEFAULT_DATA_PATH = '.qb-local/chat.db';

const USAGE = `Usage: node dist/server.js [options]

A local QuickBlox-compatible chat server (REST + XMPP on SQLite).

Options:
  --host <address>       address to listen on (default ${LOCAL_DEFAULTS.host})
  --http-port <port>     REST and XMPP-over-WebSocket port, 0 = any free (default ${LOCAL_DEFAULTS.httpPort})
  --xmpp-port <port>     XMPP TCP port, 0 = any free (default ${LOCAL_DEFAULTS.xmppPort})
  --domain <domain>      XMPP domain of the JIDs (default ${LOCAL_DEFAULTS.domain})
  --data <file>          SQLite database file, its folder is created (default ${DEFAULT_DATA_PATH})
  --memory               keep everything in memory instead (lost on exit)
  --demo                 fill an empty store with demo users alice, bob, carol and some dialogs
  --app-id <id>          application id (default ${LOCAL_DEFAULTS.appId})
  --auth-key <key>       application auth key (default ${LOCAL_DEFAULTS.authKey})
  --auth-secret <secret> application auth secret (default ${LOCAL_DEFAULTS.authSecret})
  --api-key <key>        API key for Authorization: ApiKey (default ${LOCAL_DEFAULTS.apiKey})
  --cors-origin <origin> also let web pages from this origin call the server, e.g. http://app.test:3000
                         (repeatable; pages on localhost, 127.0.0.1, [::1] and VS Code webviews always may)
  --tls-cert <pem>       serve REST and XMPP-over-WebSocket as HTTPS and WSS with this certificate (chain)
  --tls-key <pem>        the certificate's private key (needed with --tls-cert)
  --tls                  HTTPS and WSS with a self-signed certificate for localhost, 127.0.0.1 and ::1, made
                         once into <data folder>/tls/ (a per-user temp folder with --memory) and reused;
                         the ready line's "tls.cert" names it, e.g. for NODE_EXTRA_CA_CERTS

XMPP limits (README, "XMPP limits"):
  --max-stanza-bytes <n>        largest top-level element (default ${DEFAULT_LIMITS.maxStanzaBytes})
  --max-connections <n>         open XMPP streams, TCP and WebSocket together (default ${DEFAULT_LIMITS.maxConnections})
  --max-connections-per-ip <n>  open XMPP streams from one address (default ${DEFAULT_LIMITS.maxConnectionsPerIp})
  --stanza-rate <n>             sustained stanzas per second per stream (default ${DEFAULT_LIMITS.stanzaRatePerSecond})
  --stanza-burst <n>            burst above that rate (default ${DEFAULT_LIMITS.stanzaBurst})
  --pre-auth-timeout <s>        seconds to authenticate and bind after connecting (default ${DEFAULT_LIMITS.preAuthTimeoutMs / 1000})
  --sm-hibernation <s>          seconds a dropped XEP-0198 session waits to be resumed (default ${DEFAULT_LIMITS.smHibernationMs / 1000})
  --help                 show this help

When listening, prints one line "ready {json}" on stdout; logs go to stderr.
`;

export class UsageError extends Error {}

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: LocalServerOptions };

/** The command line as server options; throws UsageError for anything unknown or invalid. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const options: LocalServerOptions = {};
  let dataPath: string | undefined;
  let tlsCert: string | undefined;
  let tlsKey: string | undefined;
  let selfSigned = false;
  const limits: Partial<XmppLimits> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument "${arg}".`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${name} needs a value.`);
      return v;
    };
    const flag = () => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value.`);
    };
    switch (name) {
      case '--help':
        return { kind: 'help' };
      case '--host':
        options.host = value();
        break;
      case '--http-port':
        options.httpPort = integer(name, value(), 0, 65535);
        break;
      case '--xmpp-port':
        options.xmppPort = integer(name, value(), 0, 65535);
        break;
      case '--domain':
        options.domain = value();
        break;
      case '--data':
        dataPath = value();
        break;
      case '--memory':
        flag();
        options.memory = true;
        break;
      case '--demo':
        flag();
        options.demo = true;
        break;
      case '--app-id':
        options.appId = integer(name, value(), 1, Number.MAX_SAFE_INTEGER);
        break;
      case '--auth-key':
        options.authKey = value();
        break;
      case '--auth-secret':
        options.authSecret = value();
        break;
      case '--api-key':
        options.apiKey = value();
        break;
      case '--cors-origin':
        options.corsOrigins = [...(options.corsOrigins ?? []), value()];
        break;
      case '--tls-cert':
        tlsCert = resolve(value());
        break;
      case '--tls-key':
        tlsKey = resolve(value());
        break;
      case '--tls':
        flag();
        selfSigned = true;
        break;
      case '--max-stanza-bytes':
        limits.maxStanzaBytes = integer(name, value(), MIN_STANZA_BYTES, 64 * 1024 * 1024);
        break;
      case '--max-connections':
        limits.maxConnections = integer(name, value(), 1, 1_000_000);
        break;
      case '--max-connections-per-ip':
        limits.maxConnectionsPerIp = integer(name, value(), 1, 1_000_000);
        break;
      case '--stanza-rate':
        limits.stanzaRatePerSecond = integer(name, value(), 1, 1_000_000);
        break;
      case '--stanza-burst':
        limits.stanzaBurst = integer(name, value(), 1, 1_000_000);
        break;
      case '--pre-auth-timeout':
        limits.preAuthTimeoutMs = integer(name, value(), 1, 3600) * 1000;
        break;
      case '--sm-hibernation':
        limits.smHibernationMs = integer(name, value(), 1, 24 * 3600) * 1000;
        break;
      default:
        throw new UsageError(`Unknown option ${name}.`);
    }
  }
  if (options.memory && dataPath !== undefined) throw new UsageError('Use either --data or --memory, not both.');
  if (!options.memory) options.dataPath = resolve(dataPath ?? DEFAULT_DATA_PATH);
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together.');
  if (selfSigned && tlsCert !== undefined) throw new UsageError('Use either --tls (self-signed) or --tls-cert with --tls-key, not both.');
  if (tlsCert !== undefined && tlsKey !== undefined) options.tls = { certFile: tlsCert, keyFile: tlsKey };
  else if (selfSigned) options.tls = { selfSigned: true };
  if (Object.keys(limits).length > 0) options.xmppLimits = limits;
  return { kind: 'run', options };
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${text}".`);
  return n;
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\nRun with --help to see the options.\n`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const logger = stderrLogger('info', 'qb-local ');
  const { options } = command;
  if (options.dataPath) mkdirSync(dirname(options.dataPath), { recursive: true });
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  try {
    server = await startLocalServer({ ...options, logger });
  } catch (error) {
    process.stderr.write(`Could not start the local server: ${errorMessage(error)}\n`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      // A second signal while shutting down: the user wants out now.
      process.exit(1);
    }
    stopping = true;
    logger.info(`${reason}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error instanceof Error ? error : String(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Forked with an IPC channel: the parent going away (or disconnecting) ends the server too.
  if (process.connected) process.on('disconnect', () => stop('parent disconnected'));

  process.stdout.write(formatReadyLine(server.info) + '\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

// One logging shape for every side. VS Code's LogOutputChannel satisfies it as is; the server CLI
// and the tests use the stderr logger below (stdout is reserved for the server's `ready` line).

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';
const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'off'];

export function stderrLogger(level: LogLevel = 'info', prefix = ''): Logger {
  const min = order.indexOf(level);
  const at = (l: Exclude<LogLevel, 'off'>) => (message: string | Error, ...args: unknown[]) => {
    if (order.indexOf(l) < min) return;
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    const extra = args.length ? ' ' + args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : '';
    process.stderr.write(`${new Date().toISOString()} ${l.padEnd(5)} ${prefix}${text}${extra}\n`);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

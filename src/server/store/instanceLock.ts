// One server per database file. node-sqlite3-wasm locks by `mkdir <db>.lock`, a directory that a
// kill -9 leaves behind, after which every open fails with "database is locked". So we first take
// our own lock, a pidfile `<db>.pid` created exclusively (a dead owner's pidfile is taken over),
// and only while holding it remove a stale `<db>.lock`: nobody else can be using the file then.
import { closeSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';

export class DatabaseInUseError extends Error {
  constructor(
    readonly dbPath: string,
    readonly ownerPid: number,
  ) {
    super(
      `The database ${dbPath} is already used by another local server (pid ${ownerPid}, see ${dbPath}.pid). ` +
        'Stop that server, or start this one with another --data path or with --memory.',
    );
  }
}

export interface InstanceLock {
  release(): void;
}

export function acquireInstanceLock(dbPath: string): InstanceLock {
  const pidPath = `${dbPath}.pid`;
  // Two attempts: the second follows the removal of a dead owner's pidfile.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(pidPath, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      rmSync(`${dbPath}.lock`, { recursive: true, force: true });
      return { release: () => releaseIfOurs(pidPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(pidPath);
      if (owner !== undefined && isAlive(owner)) throw new DatabaseInUseError(dbPath, owner);
      rmSync(pidPath, { force: true });
    }
  }
  throw new Error(`Could not create ${pidPath}: another process keeps recreating it. Stop the other server and retry.`);
}

function readOwner(pidPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // vanished or unreadable: treated as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed process nobody has reaped yet (common in containers) still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat is "pid (command) state …"; the command may contain spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no procfs (macOS, Windows): trust kill(pid, 0)
  }
}

function releaseIfOurs(pidPath: string): void {
  if (readOwner(pidPath) !== process.pid) return;
  try {
    unlinkSync(pidPath);
  } catch {
    // already gone; nothing to release
  }
}

// SqlDriver over node-sqlite3-wasm, the one SQLite build that loads unchanged in Node 20, 22, 24
// and the VS Code extension host (see the storage research). Its quirks are handled here only.
import { Database, type Statement } from 'node-sqlite3-wasm';
import type { SqlDriver, SqlParams, SqlRunResult, SqlStatement } from './driver';
import { acquireInstanceLock, type InstanceLock } from './instanceLock';

export const MEMORY_PATH = ':memory:';

/** Opens (creating when missing) the database at path, or an in-memory one for MEMORY_PATH. */
export function openSqliteWasm(path: string): SqlDriver {
  const lock = path === MEMORY_PATH ? undefined : acquireInstanceLock(path);
  try {
    return new WasmDriver(new Database(path), lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

class WasmDriver implements SqlDriver {
  // The library's statements are WASM memory the GC never frees: one per SQL text, finalized in close().
  private readonly statements = new Map<string, WasmStatement>();
  private depth = 0;
  private readonly rollbackListeners: Array<() => void> = [];
  private version = 0;
  private readonly wrote = (): void => {
    this.version++;
  };

  constructor(
    private readonly db: Database,
    private readonly lock: InstanceLock | undefined,
  ) {
    // EXCLUSIVE must come first: without it this VFS silently keeps the slow rollback journal.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    // A checkpoint every ~40 MB of WAL instead of every ~4 MB: one copies each hot page (dialogs,
    // indexes) once for ten times as many commits; bench:xmpp's 1:1 run showed ~10% less server CPU.
    db.exec('PRAGMA wal_autocheckpoint = 10000');
  }

  exec(sql: string): void {
    this.wrote();
    this.db.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = new WasmStatement(this.db.prepare(sql), READS_ONLY.test(sql) ? undefined : this.wrote);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(fn: () => T): T {
    // Nested calls become savepoints, so a store method can call another one that is atomic itself.
    const outermost = this.depth === 0;
    const savepoint = `sp${this.depth}`;
    this.db.exec(outermost ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.depth++;
    try {
      const result = fn();
      // Inside the try: COMMIT itself can fail (a deferred foreign key, SQLITE_BUSY) and leave the
      // transaction open, which the catch must then roll back.
      this.db.exec(outermost ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); then there is nothing to undo.
      try {
        if (this.db.inTransaction) this.db.exec(outermost ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      } finally {
        this.wrote();
        for (const listener of this.rollbackListeners) listener();
      }
      throw error;
    } finally {
      this.depth--;
    }
  }

  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  writeVersion(): number {
    return this.version;
  }

  close(): void {
    if (!this.db.isOpen) return;
    for (const statement of this.statements.values()) statement.finalize();
    this.statements.clear();
    try {
      this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}

/** A plain SELECT cannot change stored data; anything else (PRAGMA included) counts as a write. */
const READS_ONLY = /^\s*SELECT\b/i;

class WasmStatement implements SqlStatement {
  /** writes: called before each execution of a statement that may change data (undefined for a SELECT). */
  constructor(
    private readonly statement: Statement,
    private readonly writes: (() => void) | undefined,
  ) {}

  run(params?: SqlParams): SqlRunResult {
    this.writes?.();
    const result = this.statement.run(params);
    return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
  }

  get<Row extends object>(params?: SqlParams): Row | undefined {
    this.writes?.();
    // Run to the end, not left on the first row as the library's get() leaves it: an unfinished
    // statement holds its read transaction, so the WAL could never start over after a checkpoint (it
    // grew by every commit, ~28 KB a message) and DROP TABLE failed. The store's get()s read one row.
    return this.statement.all(params)[0] as Row | undefined;
  }

  all<Row extends object>(params?: SqlParams): Row[] {
    this.writes?.();
    return this.statement.all(params) as Row[];
  }

  finalize(): void {
    if (this.statement.isFinalized) return;
    try {
      this.statement.finalize();
    } catch {
      // sqlite3_finalize repeats the error of the statement's last failed run (a UNIQUE violation, say),
      // which was reported when it happened; the statement is freed all the same, and close() must go on.
    }
  }
}

// The few synchronous SQL calls the chat store needs. Keeping the store behind this seam means a
// switch of engine (better-sqlite3, node:sqlite) touches one small file, not the domain code.

export type SqlValue = number | bigint | string | Uint8Array | null;

/** Positional (`?`) or named (`:name`, `$name`, `@name`) parameters. */
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number;
}

export interface SqlStatement {
  run(params?: SqlParams): SqlRunResult;
  /** The first row, typed by the caller who wrote the SELECT; undefined when there is none. */
  get<Row extends object>(params?: SqlParams): Row | undefined;
  all<Row extends object>(params?: SqlParams): Row[];
}

export interface SqlDriver {
  /** Runs one or more statements without parameters (schema, pragmas). */
  exec(sql: string): void;
  /** A prepared statement; the driver caches it by SQL text and owns its lifetime. */
  prepare(sql: string): SqlStatement;
  /** Runs fn atomically: commits when it returns, rolls back when it throws. Nests. */
  transaction<T>(fn: () => T): T;
  /**
   * Calls listener whenever a transaction or savepoint is rolled back, so that a cache filled from
   * rows written inside it (see SqlDialogs) can forget what may no longer exist.
   */
  onRollback(listener: () => void): void;
  /**
   * A number that moves whenever stored data may have changed: on every write statement and every
   * rollback. Equal values mean nothing was written in between, so an answer computed from the data
   * may be given again (see rest/responseCache.ts).
   */
  writeVersion(): number;
  /** Releases every statement and the database file; the driver is unusable afterwards. */
  close(): void;
}

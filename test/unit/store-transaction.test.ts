// The SQLite driver's transactions, including the case where COMMIT itself fails.
import * as assert from 'node:assert/strict';
import type { SqlDriver } from '../../src/server/store/driver';
import { MEMORY_PATH, openSqliteWasm } from '../../src/server/store/sqliteWasm';

describe('store: SQLite transactions', () => {
  let db: SqlDriver;

  beforeEach(() => {
    db = openSqliteWasm(MEMORY_PATH);
    // A deferred foreign key is checked at COMMIT, which is how a commit fails with valid statements.
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
  });
  afterEach(() => db.close());

  const count = (table: string) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get<{ n: number }>()?.n;

  it('rolls back a transaction whose COMMIT fails and stays usable', () => {
    assert.throws(() => db.transaction(() => db.prepare('INSERT INTO child VALUES (42)').run()), /FOREIGN KEY/);
    assert.equal(count('child'), 0);
    db.transaction(() => db.prepare('INSERT INTO parent VALUES (1)').run());
    assert.equal(count('parent'), 1);
    assert.equal(db.transaction(() => 'still nests'), 'still nests');
  });

  it('undoes only the failed savepoint of a nested transaction', () => {
    db.transaction(() => {
      db.prepare('INSERT INTO parent VALUES (1)').run();
      assert.throws(() =>
        db.transaction(() => {
          db.prepare('INSERT INTO parent VALUES (2)').run();
          throw new Error('inner');
        }),
      );
    });
    assert.deepEqual(db.prepare('SELECT id FROM parent').all<{ id: number }>(), [{ id: 1 }]);
  });
});

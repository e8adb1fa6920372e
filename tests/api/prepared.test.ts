import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrateDb, openDb, prepared, type Db, type Tx } from '../../server/db/client.ts';
import { towns } from '../../server/db/schema.ts';

const fresh = () => {
  const db = openDb(':memory:');
  migrateDb(db);
  return db;
};
let builds = 0;
const townById = (db: Db | Tx) => {
  builds++;
  return db.select().from(towns).where(eq(towns.id, sql.placeholder('id'))).prepare();
};
const addTown = (db: Db | Tx, id: string, name: string) => db.insert(towns).values({ id, name, countyCode: '350582', countyName: '晋江市' }).run();

describe('queries prepared once per connection', () => {
  it('are built once, and answer with the values given each time', () => {
    const db = fresh();
    addTown(db, '350582102', '磁灶镇');
    addTown(db, '350582103', '陈埭镇');
    builds = 0;
    expect(prepared(db, townById).get({ id: '350582102' })?.name).toBe('磁灶镇');
    expect(prepared(db, townById).get({ id: '350582103' })?.name).toBe('陈埭镇');
    expect(prepared(db, townById).get({ id: 'nope' })).toBeUndefined();
    expect(builds).toBe(1);
  });

  it('serve a transaction on the same connection, seeing its own uncommitted writes, and not another database', () => {
    const a = fresh();
    const b = fresh();
    builds = 0;
    prepared(a, townById);
    expect(() =>
      a.transaction((tx) => {
        addTown(tx, '350582104', '新塘街道');
        expect(prepared(tx, townById).get({ id: '350582104' })?.name).toBe('新塘街道');
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(prepared(a, townById).get({ id: '350582104' })).toBeUndefined();
    expect(builds).toBe(1);
    // Another database has its own statement: it never reads the first one's rows.
    addTown(a, '350582105', '西园街道');
    expect(prepared(b, townById).get({ id: '350582105' })).toBeUndefined();
    expect(builds).toBe(2);
  });
});

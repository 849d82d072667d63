import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// A list's UMKM rows carry columns of other tables: the owner's name, NIK and email (persons), the
// kelurahan and kecamatan names (regions), the KBLI titles and the sentra name. The registry index
// keeps the rows of list pages until its change feed (migration 0027: umkm.search_xid) reports a
// change of that UMKM, so a change of one of those columns stamps the UMKM it reaches (an update
// of the UMKM rows that changes nothing but the stamp). Statement-level triggers: one update per
// statement. These are rare writes (an owner's contact, reference data); a person owns a few UMKM.

const TOUCH = 'update umkm set search_xid = pg_current_xact_id()';

export async function up(db: Kysely<unknown>): Promise<void> {
  const trigger = async (table: string, fn: string, body: string) => {
    await sql
      .raw(`create function ${fn}() returns trigger language plpgsql as $$
        begin
          ${body};
          return null;
        end $$`)
      .execute(db);
    await sql
      .raw(`create trigger ${fn} after update on ${table}
        referencing old table as old_rows new table as new_rows
        for each statement execute function ${fn}()`)
      .execute(db);
  };
  await trigger(
    'persons',
    'umkm_stamp_persons',
    `${TOUCH} where owner_id in (select n.id from new_rows n join old_rows o on o.id = n.id
       where (n.name, n.nik, n.email) is distinct from (o.name, o.nik, o.email))`,
  );
  await trigger(
    'regions',
    'umkm_stamp_regions',
    `${TOUCH} where kelurahan_code in (select n.code from new_rows n join old_rows o on o.code = n.code where n.name is distinct from o.name)
       or kecamatan_code in (select n.code from new_rows n join old_rows o on o.code = n.code where n.name is distinct from o.name)`,
  );
  await trigger(
    'kbli',
    'umkm_stamp_kbli',
    `${TOUCH} where kbli_code in (select n.code from new_rows n join old_rows o on o.code = n.code
       where (n.title_id, n.title_en) is distinct from (o.title_id, o.title_en))`,
  );
  await trigger(
    'sentra',
    'umkm_stamp_sentra',
    `${TOUCH} where sentra_id in (select n.id from new_rows n join old_rows o on o.id = n.id where n.name is distinct from o.name)`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, fn] of [
    ['persons', 'umkm_stamp_persons'],
    ['regions', 'umkm_stamp_regions'],
    ['kbli', 'umkm_stamp_kbli'],
    ['sentra', 'umkm_stamp_sentra'],
  ]) {
    await sql.raw(`drop trigger if exists ${fn} on ${table}`).execute(db);
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
}

import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Exact UMKM counts per (status, kecamatan, kelurahan, size class, KBLI section), kept by
// statement-level triggers in the same transaction as every insert, update and delete of `umkm`.
// A filtered list then sums at most a few thousand small rows instead of counting ~150,000 UMKM
// on every page (see docs/adr/0008-registry-counts.md).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table umkm_counts (
      status text not null,
      kecamatan_code text not null,
      kelurahan_code text not null,
      size_class text not null,
      kbli_section text not null,
      n bigint not null,
      primary key (status, kecamatan_code, kelurahan_code, size_class, kbli_section)
    )`.execute(db);
  await sql`create index umkm_counts_kelurahan_idx on umkm_counts (kelurahan_code, status)`.execute(db);
  // Deltas are applied in key order so two transactions never take the same rows in opposite
  // order (no deadlock); a statement that changes no key (an edited description) writes nothing.
  await sql`
    create function umkm_counts_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into umkm_counts as c (status, kecamatan_code, kelurahan_code, size_class, kbli_section, n)
        select status, kecamatan_code, kelurahan_code, size_class, coalesce(kbli_section, ''), count(*)
          from new_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
        on conflict (status, kecamatan_code, kelurahan_code, size_class, kbli_section) do update set n = c.n + excluded.n;
      elsif tg_op = 'DELETE' then
        update umkm_counts c set n = c.n - d.k
          from (select status, kecamatan_code, kelurahan_code, size_class, coalesce(kbli_section, '') as kbli_section, count(*) as k
                  from old_rows group by 1, 2, 3, 4, 5) d
         where c.status = d.status and c.kecamatan_code = d.kecamatan_code and c.kelurahan_code = d.kelurahan_code
           and c.size_class = d.size_class and c.kbli_section = d.kbli_section;
      else
        insert into umkm_counts as c (status, kecamatan_code, kelurahan_code, size_class, kbli_section, n)
        select status, kecamatan_code, kelurahan_code, size_class, kbli_section, sum(k)
          from (select status, kecamatan_code, kelurahan_code, size_class, coalesce(kbli_section, '') as kbli_section, 1 as k from new_rows
                union all
                select status, kecamatan_code, kelurahan_code, size_class, coalesce(kbli_section, '') as kbli_section, -1 as k from old_rows) x
         group by 1, 2, 3, 4, 5 having sum(k) <> 0 order by 1, 2, 3, 4, 5
        on conflict (status, kecamatan_code, kelurahan_code, size_class, kbli_section) do update set n = c.n + excluded.n;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger umkm_counts_ins after insert on umkm referencing new table as new_rows for each statement execute function umkm_counts_apply()`.execute(
    db,
  );
  await sql`create trigger umkm_counts_upd after update on umkm referencing old table as old_rows new table as new_rows for each statement execute function umkm_counts_apply()`.execute(
    db,
  );
  await sql`create trigger umkm_counts_del after delete on umkm referencing old table as old_rows for each statement execute function umkm_counts_apply()`.execute(
    db,
  );
  await sql`
    insert into umkm_counts (status, kecamatan_code, kelurahan_code, size_class, kbli_section, n)
    select status, kecamatan_code, kelurahan_code, size_class, coalesce(kbli_section, ''), count(*) from umkm group by 1, 2, 3, 4, 5`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists umkm_counts_ins on umkm`.execute(db);
  await sql`drop trigger if exists umkm_counts_upd on umkm`.execute(db);
  await sql`drop trigger if exists umkm_counts_del on umkm`.execute(db);
  await sql`drop function if exists umkm_counts_apply()`.execute(db);
  await sql`drop table if exists umkm_counts`.execute(db);
}

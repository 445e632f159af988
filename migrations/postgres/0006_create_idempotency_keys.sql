-- answers remembered for idempotency-key retries, one per (member, key). they expire
-- (daftar_idempotency_ttl_secs, a day by default): a lookup ignores older rows and a
-- periodic purge deletes them, oldest first through the index, so random keys cannot grow
-- the database without bound.
create table idempotency_keys (
    id            text    primary key,   -- sha-256 of (member, key)
    fingerprint   text    not null,      -- sha-256 of (method, path, body) of the first request
    status        integer not null,
    body          text    not null,      -- the json answer sent back
    created_at_us bigint  not null
);

create index idempotency_keys_by_age on idempotency_keys (created_at_us);

-- earlier versions kept these answers among the documents, for ever: they move here and
-- expire a ttl after this migration.
insert into idempotency_keys (id, fingerprint, status, body, created_at_us)
select id,
       doc::jsonb ->> 'fingerprint',
       (doc::jsonb ->> 'status')::integer,
       (doc::jsonb -> 'body')::text,
       (extract(epoch from now()) * 1000000)::bigint
  from documents
 where kind = 'idempotency';

delete from documents where kind = 'idempotency';

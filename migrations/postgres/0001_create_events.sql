-- the log: every fact daftar knows, in one append-only, hash-chained table.
-- position is assigned by the writer holding the log_head row lock, never by a sequence
-- (sequences leave gaps and commit out of order), so it is gapless and in commit order.
create table events (
    position       bigint  primary key,
    stream_id      text    not null,
    version        bigint  not null,
    event_id       uuid    not null unique,
    event_type     text    not null,
    event_version  integer not null,
    data           text    not null,          -- text, not jsonb: the exact bytes that are hashed
    metadata       text    not null,
    recorded_at_us bigint  not null,          -- microseconds since the unix epoch, utc
    prev_hash      text    not null,
    hash           text    not null,
    unique (stream_id, version)                -- optimistic concurrency; also the stream index
);

create index events_by_type on events (event_type, position);
create index events_by_time on events (recorded_at_us, position);

-- the newest position and hash; every writer, on every node, locks this row first.
create table log_head (
    id             integer primary key check (id = 1),
    position       bigint  not null,
    hash           text    not null,
    recorded_at_us bigint  not null
);
insert into log_head (id, position, hash, recorded_at_us)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- history is never rewritten.
create function events_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'events are append-only: % refused', lower(tg_op);
end;
$$;

create trigger events_refuse_update before update or delete on events
    for each row execute function events_refuse_change();

create trigger events_refuse_truncate before truncate on events
    for each statement execute function events_refuse_change();

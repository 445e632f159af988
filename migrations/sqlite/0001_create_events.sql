-- the log: every fact daftar knows, in one append-only, hash-chained table.
-- position is assigned by the single writer (begin immediate), never by autoincrement,
-- so it is gapless and in commit order.
create table events (
    position       integer primary key,
    stream_id      text    not null,
    version        integer not null,
    event_id       text    not null unique,   -- uuid v7, hyphenated
    event_type     text    not null,
    event_version  integer not null,
    data           text    not null,          -- the exact json bytes that are hashed
    metadata       text    not null,
    recorded_at_us integer not null,          -- microseconds since the unix epoch, utc
    prev_hash      text    not null,
    hash           text    not null,
    unique (stream_id, version)                -- optimistic concurrency; also the stream index
);

create index events_by_type on events (event_type, position);
create index events_by_time on events (recorded_at_us, position);

-- the newest position and hash: the writer reads and moves it in every batch.
create table log_head (
    id             integer primary key check (id = 1),
    position       integer not null,
    hash           text    not null,
    recorded_at_us integer not null
);
insert into log_head (id, position, hash, recorded_at_us)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- history is never rewritten.
create trigger events_refuse_update before update on events
begin
    select raise(abort, 'events are append-only: update refused');
end;

create trigger events_refuse_delete before delete on events
begin
    select raise(abort, 'events are append-only: delete refused');
end;

-- what a bearer token is checked against: the sha-256 of each token, beside the log and not
-- in it. the log is read by auditors and exported whole; a value that is looked up to let a
-- caller in belongs with the secrets. written in the same transaction as its TokenIssued
-- event (a side write), and never dropped by a read-model rebuild: the log cannot give it
-- back (only events written before this table existed carry their hash).
create table credentials (
    token_sha256  text    primary key,
    token_id      text    not null unique,
    member_id     text    not null,
    last_used_us  bigint               -- microseconds since the unix epoch, to the minute
);

create index credentials_by_member on credentials (member_id, token_id);

-- tokens issued before: their TokenIssued event carries the hash.
insert into credentials (token_sha256, token_id, member_id)
select data::json->>'token_sha256', data::json->>'token_id', data::json->>'member_id'
from events
where event_type = 'TokenIssued' and data::json->>'token_sha256' is not null
on conflict do nothing;

-- the token read model was keyed by the hash; it is keyed by the token id now.
delete from documents where kind = 'token';

with issued as (
    select e.data::json->>'token_id' as token_id,
           e.data::json->>'member_id' as member_id,
           exists (select 1 from events r
                   where r.stream_id = e.stream_id and r.event_type = 'TokenRevoked') as revoked
    from events e
    where e.event_type = 'TokenIssued'
)
insert into documents (kind, id, version, doc)
select 'token', token_id, case when revoked then 2 else 1 end,
       json_build_object('token_id', token_id, 'member_id', member_id, 'expires_at', null,
                         'revoked', revoked)::text
from issued;

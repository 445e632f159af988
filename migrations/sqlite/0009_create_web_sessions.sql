-- the people's pages: who is signed in, the one-time sign-in links sent by e-mail, and the
-- drafts of task forms. None of these is an event: a session or a draft is not a decision,
-- and a lost one costs a new sign-in or some retyping, never the record.

-- a signed-in browser. The cookie carries a random id; only its sha-256 is stored, so a copy
-- of the database opens no session. Every request reads the member again, so a revoked
-- token (token_hash) or a changed member takes effect at the next request.
create table web_sessions (
    id_hash         text    primary key,
    member_id       text    not null,
    token_hash      text,                  -- the API token pasted to open it, if any
    csrf_token      text    not null,      -- carried by every form the session posts
    created_at_us   integer not null,
    last_seen_at_us integer not null,      -- for the idle timeout
    expires_at_us   integer not null       -- the absolute lifetime
);

create index web_sessions_by_member on web_sessions (member_id);

-- a one-time sign-in link: 256 random bits in the e-mail, their sha-256 here; valid until
-- expires_at_us and used at most once.
create table web_sign_in_links (
    token_hash    text    primary key,
    member_id     text    not null,
    created_at_us integer not null,
    expires_at_us integer not null,
    used_at_us    integer
);

-- a task's form as last saved without submitting, private to the task's agency.
create table task_drafts (
    task_id     text    primary key,
    agency      text    not null,
    data        text    not null,          -- the JSON as typed, valid or not
    saved_by    text    not null,          -- member id
    saved_at_us integer not null
);

-- e-mails are addressed to a person by name ("Maryam Karimi <m.karimi@irica.ir>"), not by
-- member id; rows queued before this migration have none and go to the bare address.
alter table outbox add column to_name text;

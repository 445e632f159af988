-- the e-mail outbox: a row per (event, recipient), written in the same transaction as the
-- event that causes it, rendered at that moment (what went out is what was decided), and
-- delivered after commit by the dispatcher, at least once, with a stable message-id.
create table outbox (
    id                 text    primary key,   -- derived from the event and the recipient
    case_id            text,
    event_id           text    not null,      -- caused_by_event
    member_id          text    not null,
    to_address         text    not null,
    locale             text    not null,
    template           text    not null,
    subject            text    not null,
    body_text          text    not null,
    body_html          text    not null,
    status             text    not null default 'queued',   -- queued | sent | failed
    attempts           integer not null default 0,
    next_attempt_at_us integer not null,
    last_error         text,
    claimed_by         text,
    lease_until_us     integer,
    created_at_us      integer not null,
    sent_at_us         integer
);

create index outbox_due on outbox (status, next_attempt_at_us);
create index outbox_by_case on outbox (case_id, id);

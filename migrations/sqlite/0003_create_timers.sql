-- durable timers: written in the same transaction as the event that implies them, claimed
-- by one scheduler at a time (a lease), marked fired in the transaction that records what
-- firing decided.
create table timers (
    id             text    primary key,   -- derived from case, task and kind: scheduling twice is a no-op
    case_id        text    not null,
    task_id        text,
    kind           text    not null,      -- json of the timer kind
    due_at_us      integer not null,
    status         text    not null default 'pending',   -- pending | fired | cancelled
    claimed_by     text,
    lease_until_us integer
);

create index timers_due on timers (status, due_at_us);
create index timers_by_case on timers (case_id, task_id);

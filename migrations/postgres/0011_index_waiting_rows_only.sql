-- the due indexes hold only the rows still waiting: every claim, next wake-up and count
-- asks for `status = 'pending'` timers or `status = 'queued'` e-mails. cancelling or firing
-- a timer, or recording an e-mail's outcome, then drops the row's entry instead of moving
-- it into another status's range of the index: one page written fewer each time.
drop index timers_due;
create index timers_due on timers (due_at_us) where status = 'pending';

drop index outbox_due;
create index outbox_due on outbox (next_attempt_at_us) where status = 'queued';

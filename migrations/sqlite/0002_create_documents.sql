-- read models: one json document per (kind, id), written in the same transaction as the
-- events it is derived from, and always rebuildable from the log.
-- version is the source stream's version: an older write never replaces a newer one,
-- so re-running a projection is harmless.
create table documents (
    kind     text    not null,   -- 'case', 'task', 'member', 'agency', ...
    id       text    not null,
    case_id  text,
    agency   text,
    status   text,
    version  integer not null,
    doc      text    not null,
    primary key (kind, id)
);

create index documents_by_case   on documents (kind, case_id, id);
create index documents_by_status on documents (kind, status, id);
create index documents_by_agency on documents (kind, agency, id);

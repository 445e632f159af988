-- the case list's index: one row per agency a case involves (its participants and the
-- agencies its tasks went to), so a member's list of cases is a range of this table, not a
-- walk through every case. written beside the case's document, in the same transaction;
-- `daftar projections rebuild` rebuilds it with the case documents.
create table case_agencies (
    agency   text   not null,
    case_id  text   not null,
    workflow text   not null,
    status   text   not null,   -- the case's status, as in its document
    version  bigint not null,   -- the case version the row reflects: older never replaces newer
    primary key (agency, case_id)
);

create index case_agencies_by_status   on case_agencies (agency, status, case_id);
create index case_agencies_by_workflow on case_agencies (agency, workflow, case_id);

-- the cases written before this table, from their documents.
insert into case_agencies (agency, case_id, workflow, status, version)
select participant.code, d.id, d.doc::jsonb ->> 'workflow', d.status, d.version
  from documents d,
       jsonb_array_elements_text(coalesce(d.doc::jsonb -> 'participants', '[]'))
         as participant (code)
 where d.kind = 'case'
union
select task.value ->> 'agency', d.id, d.doc::jsonb ->> 'workflow', d.status, d.version
  from documents d,
       jsonb_array_elements(coalesce(d.doc::jsonb -> 'tasks', '[]')) as task (value)
 where d.kind = 'case' and task.value ->> 'agency' is not null;

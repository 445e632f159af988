-- attachments: files named by submissions and resolutions, stored by the sha-256 of their
-- bytes. an event carries a file's hash and size, so the hash chain covers the file without
-- holding its bytes; `daftar audit verify` checks that every file an event names is here and
-- still hashes to its name. the same bytes uploaded twice are one row (the first upload's
-- name, type and uploader are kept). rows are never updated or deleted.
create table files (
    sha256         text    primary key,   -- 64 lowercase hex digits of the bytes' sha-256
    size           integer not null,
    content_type   text    not null,      -- application/pdf, image/png or image/jpeg
    filename       text    not null,      -- as the uploader named it (utf-8, checked)
    uploaded_by    text    not null,      -- member id
    uploaded_at_us integer not null,      -- microseconds since the unix epoch
    bytes          blob    not null
) without rowid;

-- who uploaded which bytes, under which name: the same bytes sent by a second member are
-- stored once, yet each uploader may read back what it sent (and no one else's name for it)
-- until a submission or resolution names the file (under the name it last sent them).
create table file_uploads (
    sha256         text    not null references files (sha256),
    member_id      text    not null,
    filename       text    not null,
    uploaded_at_us integer not null,
    primary key (sha256, member_id)
) without rowid;

-- a draft keeps the files chosen for its submission (a json list of {sha256, filename,
-- letter_no?, letter_date_jalali?}), so saving the form does not drop them.
alter table task_drafts add column attachments text not null default '[]';

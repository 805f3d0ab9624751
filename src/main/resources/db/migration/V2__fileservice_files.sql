-- The File Service's metadata. Deliberately no foreign key to users: the File Service can run
-- standalone against its own database, and the runner deletes a user's files through the
-- service. Written in the SQL subset PostgreSQL and H2 (PostgreSQL mode) share.
create table fileservice_files (
    file_guid         uuid primary key,
    user_guid         uuid not null,
    storage_scope     varchar(16)  not null,  -- LONG_TERM, SHORT_TERM, TEMPORARY
    content_type      varchar(255) not null,
    file_name         varchar(255) not null,
    size_bytes        bigint not null,
    path              varchar(300) not null,  -- <scope-dir>/<file_guid><extension>, relative to the root
    storage_provider  varchar(32)  not null,
    created_at        timestamp with time zone not null,
    expires_at        timestamp with time zone       -- null: long-term, never swept
);
create index fileservice_files_user_created on fileservice_files (user_guid, created_at);
create index fileservice_files_expires on fileservice_files (expires_at);

-- Idempotent submission (issue 13): one row per (user, Idempotency-Key), inserted in the same
-- transaction as the run or batch it started, so of two concurrent submissions with the same key
-- the primary key lets exactly one commit; the other replays this row. Shared by PostgreSQL and H2.
-- endpoint / fingerprint: which POST and a SHA-256 of its parsed body; the same key with another
--   body or endpoint is refused (422).
-- status_code / response_body: the original answer, replayed as is (null body for an awaited run:
--   its replay answers the run's result, see pipelines.control.IdempotencyKeys).
-- Rows older than pipelines.idempotency.retention are swept (created_at index).
create table idempotency_keys (
    user_id uuid not null,
    idempotency_key varchar(255) not null,
    endpoint varchar(32) not null,
    fingerprint varchar(64) not null,
    status_code integer not null,
    response_body text,
    pipeline_id uuid,
    batch_id uuid,
    created_at timestamp with time zone not null,
    primary key (user_id, idempotency_key)
);

create index idempotency_keys_created_at on idempotency_keys (created_at);

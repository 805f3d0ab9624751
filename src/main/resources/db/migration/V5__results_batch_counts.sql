-- Run path rebuild (issue 11), shared by PostgreSQL and H2 (PostgreSQL mode).

-- A batch's progress counters, written by the same transaction that finishes its runs, so the
-- batch's counts and its "finished?" test never scan its results. Every batch gets its slots
-- when it is created; a finishing run adds to one slot, so concurrent completion transactions
-- rarely wait for each other's row locks. Reading a batch's counts sums its slots.
create table pipeline_batch_counts (
    batch_id    uuid not null references pipeline_batches (id) on delete cascade,
    slot        smallint not null,
    succeeded   bigint not null default 0,
    failed      bigint not null default 0,
    constraint pipeline_batch_counts_pk primary key (batch_id, slot)
);
insert into pipeline_batch_counts (batch_id, slot, succeeded, failed)
select b.id, 0,
       (select count(*) from pipeline_results r where r.batch_id = b.id and r.status = 'Succeeded'),
       (select count(*) from pipeline_results r where r.batch_id = b.id and r.status = 'Failed')
from pipeline_batches b;

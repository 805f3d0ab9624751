-- Re-runs (issue 13 part 3) and the status filter of GET /PipelineResults, shared by PostgreSQL and
-- H2 (PostgreSQL mode).
-- rerun_of          the pipeline id of the run this one re-runs; null unless a rerun
-- rerun_from_order  the first step the rerun dispatched; its steps before it were copied from the
--                   old run (reused), so they show reused: true
alter table pipeline_results add column rerun_of uuid;
alter table pipeline_results add column rerun_from_order integer;

-- GET /PipelineResults?status=: the user's results of one status, newest first, as an index range
-- scan (first page, keyset page and an OFFSET skip read only the index), and its bounded count.
create index pipeline_results_user_status_newest on pipeline_results (user_id, status, created_at desc, id desc);

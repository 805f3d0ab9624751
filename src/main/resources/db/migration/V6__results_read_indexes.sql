-- Results reads (issue 11), shared by PostgreSQL and H2 (PostgreSQL mode).

-- GET /PipelineResults/Batch/{id} pages a batch's results in creation order (created_at, id).
-- With only (batch_id, status) the database had to sort every result of the batch for each page;
-- this index hands them out in page order, so a first page or a keyset page (after a cursor) reads
-- pageSize + 1 entries, and a numbered page skips its offset inside the index (index-only).
-- The user listing's index, pipeline_results_user_newest (user_id, created_at desc, id desc),
-- exists since V4 and serves GET /PipelineResults the same way.
-- Not CONCURRENTLY: Flyway runs each migration in a transaction (and H2 has no such option); on
-- a million rows the build takes a few seconds, during which writes to pipeline_results wait.
create index pipeline_results_batch_oldest on pipeline_results (batch_id, created_at, id);

-- The outbox knows no feature: an opaque correlation key (the sender's choice; the pipelines area
-- puts the pipeline id there) instead of a pipeline id column.
alter table outbox add column correlation_key varchar(200);
update outbox set correlation_key = cast(pipeline_id as varchar(200)) where pipeline_id is not null;
alter table outbox drop column pipeline_id;

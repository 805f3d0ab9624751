-- Step deadlines (issue 12), shared by PostgreSQL and H2 (PostgreSQL mode).
-- step_plan: what the deadline sweep needs to fail a run in words, without the RunPipelineStep
--   message: one line per step, "timeoutSeconds<TAB>nodeId<TAB>procedureId<TAB>outputValueSelector"
--   (written and read only by results.control.StepPlan).
-- step_deadline_at / deadline_step: the step the runner waits for and until when; moved on when
--   that step's success is recorded. Null for runs recorded before this migration (no deadline).
-- expired_step: set when the sweep failed the run at that step's deadline; reports for it or later
--   steps that arrive afterwards are refused (dead-lettered with the reason).
alter table pipeline_results add column step_plan text;
alter table pipeline_results add column step_deadline_at timestamp with time zone;
alter table pipeline_results add column deadline_step integer;
alter table pipeline_results add column expired_step integer;

-- The sweep reads the earliest deadlines of running runs; finished runs keep their last deadline,
-- so status leads the index.
create index pipeline_results_step_deadline on pipeline_results (status, step_deadline_at);

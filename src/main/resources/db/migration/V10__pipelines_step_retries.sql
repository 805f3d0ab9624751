-- Retries with backoff (issue 13 part 2), shared by PostgreSQL and H2 (PostgreSQL mode).
-- A run waits for one step at a time, so one run holds the retry state of the step being retried:
-- retry_step             the step whose attempts have failed so far (null: no attempt failed)
-- retry_failed_attempts  how many attempts of retry_step failed (attempt n + 1 is in flight or due)
-- retry_last_failure     the reason the last failed attempt gave
-- retry_due              true while the next attempt waits for its backoff: step_deadline_at is then
--                        the time to dispatch it (the deadline sweep dispatches it), not a deadline
-- The retry policy of each step is part of step_plan (results.control.StepPlan).
alter table pipeline_results add column retry_step integer;
alter table pipeline_results add column retry_failed_attempts integer;
alter table pipeline_results add column retry_last_failure text;
alter table pipeline_results add column retry_due boolean default false not null;

-- What a stored step went through: attempts (null: 1) and the reason of its last failed attempt.
alter table step_results add column attempts integer;
alter table step_results add column last_failure_reason text;

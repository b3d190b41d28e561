-- Leases: a RUNNING task belongs to the replica named in lease_owner until
-- lease_expires_at. fencing_token grows on every claim, so a replica that lost
-- its lease (and the task was claimed or failed since) cannot record a result.
ALTER TABLE tasks
  ADD COLUMN lease_owner      text,
  ADD COLUMN lease_expires_at timestamptz,
  ADD COLUMN fencing_token    bigint NOT NULL DEFAULT 0;

-- The claim query scans PENDING tasks in desire order; convergence scans
-- expired leases and old COMPLETED tasks.
CREATE INDEX tasks_pending_id ON tasks (id) WHERE state = 'PENDING';
CREATE INDEX tasks_running_lease ON tasks (lease_expires_at) WHERE state = 'RUNNING';
CREATE INDEX tasks_completed_at ON tasks (first_completed_at) WHERE state = 'COMPLETED';

-- Per-task output, bounded by the writer; gone with the task.
CREATE TABLE task_logs (
  guid   text NOT NULL REFERENCES tasks (guid) ON DELETE CASCADE,
  seq    integer NOT NULL,
  at     timestamptz NOT NULL,
  source text NOT NULL,
  stream text NOT NULL CHECK (stream IN ('stdout', 'stderr', 'system')),
  line   text NOT NULL,
  PRIMARY KEY (guid, seq)
);

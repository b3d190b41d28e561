-- A run is one desire of a task. run_id is fresh for every desire, so a task
-- desired again under a guid used before never takes the earlier task's pod
-- for its own (pods carry the run id and are named after it).
-- logs_seen counts the output lines of the running work already stored, so
-- that a replica adopting the task resumes its output where the last stopped.
ALTER TABLE tasks
  ADD COLUMN run_id    text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
  ADD COLUMN logs_seen integer NOT NULL DEFAULT 0;

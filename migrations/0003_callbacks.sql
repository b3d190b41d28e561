-- Transactional outbox for completion callbacks. A trigger writes the
-- delivery in the same transaction that completes the task, whichever path
-- completed it (scheduler, cancel, convergence), so no completion is missed
-- and none is announced for a transaction that rolled back.
CREATE TABLE callback_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  guid            text NOT NULL UNIQUE REFERENCES tasks (guid) ON DELETE CASCADE,
  url             text NOT NULL,
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text NOT NULL DEFAULT '',
  locked_by       text,
  locked_until    timestamptz
);
CREATE INDEX callback_deliveries_due ON callback_deliveries (next_attempt_at);

CREATE TABLE callback_attempts (
  delivery_id bigint NOT NULL REFERENCES callback_deliveries (id) ON DELETE CASCADE,
  attempt     integer NOT NULL,
  at          timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status      integer,
  error       text,
  outcome     text NOT NULL CHECK (outcome IN ('resolved', 'retry_now', 'retry_later', 'given_up')),
  PRIMARY KEY (delivery_id, attempt)
);

CREATE FUNCTION taskbbs_enqueue_callback() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO callback_deliveries (guid, url, payload)
  VALUES (
    NEW.guid,
    NEW.definition->>'completion_callback_url',
    jsonb_build_object(
      'task_guid', NEW.guid,
      'failed', NEW.failed,
      'failure_reason', NEW.failure_reason,
      'result', NEW.result,
      'annotation', COALESCE(NEW.definition->>'annotation', ''),
      'created_at', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
  ON CONFLICT (guid) DO NOTHING;
  PERFORM pg_notify('taskbbs_callback_ready', NEW.guid);
  RETURN NULL;
END $$;

CREATE TRIGGER tasks_completed_callback
  AFTER UPDATE OF state ON tasks
  FOR EACH ROW
  WHEN (NEW.state = 'COMPLETED' AND OLD.state IN ('PENDING', 'RUNNING') AND NEW.definition ? 'completion_callback_url')
  EXECUTE FUNCTION taskbbs_enqueue_callback();

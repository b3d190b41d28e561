-- Task change events for GET /v1/events. A trigger on tasks writes them, so every
-- path that changes a task (API, scheduler, convergence, callbacks) emits its
-- event in the same transaction, and a rolled-back change emits none.
--
-- Order: ids come from a sequence when a row is inserted, but transactions commit
-- in another order, so a reader following `id > last` would skip an id that
-- commits after a higher one. Each event therefore records its transaction (tx)
-- and readers take only events whose transaction is older than every running one
-- (tx < pg_snapshot_xmin(pg_current_snapshot())), in (tx, id) order: that set can
-- no longer grow, so a position (tx, id) never has an event appear behind it.
-- The same idea as PgQ's snapshot-based batches. The price: a write transaction
-- left open anywhere on the server holds every later event back until it ends.
CREATE TABLE task_events (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx     xid8 NOT NULL DEFAULT pg_current_xact_id(),
  type   text NOT NULL CHECK (type IN ('task_created', 'task_changed', 'task_removed')),
  guid   text NOT NULL,
  domain text NOT NULL,
  state  text NOT NULL,
  at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- The task's columns as the API shows them (never image_password); null on removal.
  task   jsonb
);

CREATE INDEX task_events_position ON task_events (tx, id);
CREATE INDEX task_events_at ON task_events (at);

-- The newest position pruning has deleted: a client resuming from before it may
-- have missed events and is told to re-list.
CREATE TABLE task_events_pruned (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  tx       xid8 NOT NULL,
  id       bigint NOT NULL
);
INSERT INTO task_events_pruned (tx, id) VALUES ('0', 0);

CREATE FUNCTION taskbbs_task_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO task_events (type, guid, domain, state) VALUES ('task_removed', OLD.guid, OLD.domain, OLD.state);
  ELSE
    -- A list of columns, not to_jsonb(NEW): a column added later stays out
    -- of the stream until someone decides it belongs there.
    INSERT INTO task_events (type, guid, domain, state, task) VALUES (
      CASE TG_OP WHEN 'INSERT' THEN 'task_created' ELSE 'task_changed' END,
      NEW.guid, NEW.domain, NEW.state,
      jsonb_build_object(
        'id', NEW.id, 'guid', NEW.guid, 'domain', NEW.domain, 'state', NEW.state, 'definition', NEW.definition,
        'cell_id', NEW.cell_id, 'result', NEW.result, 'failed', NEW.failed, 'failure_reason', NEW.failure_reason,
        'rejection_count', NEW.rejection_count, 'rejection_reason', NEW.rejection_reason,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'first_completed_at', NEW.first_completed_at));
  END IF;
  -- Delivered at commit; identical payloads in one transaction fold into one.
  PERFORM pg_notify('taskbbs_task_events', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER tasks_emit_created_removed AFTER INSERT OR DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION taskbbs_task_event();

-- Only changes a client can see: a lease heartbeat (lease_expires_at every few
-- seconds per running task) is not an event.
CREATE TRIGGER tasks_emit_changed AFTER UPDATE ON tasks
  FOR EACH ROW WHEN (
    (OLD.state, OLD.cell_id, OLD.result, OLD.failed, OLD.failure_reason, OLD.rejection_count,
     OLD.rejection_reason, OLD.definition, OLD.updated_at, OLD.first_completed_at)
    IS DISTINCT FROM
    (NEW.state, NEW.cell_id, NEW.result, NEW.failed, NEW.failure_reason, NEW.rejection_count,
     NEW.rejection_reason, NEW.definition, NEW.updated_at, NEW.first_completed_at))
  EXECUTE FUNCTION taskbbs_task_event();

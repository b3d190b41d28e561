-- NOTIFY serializes commits: PostgreSQL takes one database-wide lock before a
-- notifying transaction commits and holds it until the commit is flushed, so
-- with fsync on, desires that each NOTIFY commit one at a time and group commit
-- never forms (BENCHMARKS.md: desire at c=16 ran slower than at c=1). The API
-- therefore sends the wake-ups of many desires together after they committed
-- (src/store/notify.ts), and marks such an insert with the transaction-local
-- setting taskbbs.notify_after_commit = 'on' so that this trigger does not
-- NOTIFY as well. Any other insert notifies at commit, as before.
--
-- Only task_created gets its own function: removals and changes keep
-- taskbbs_task_event(), so that this migration and one that redefines that
-- function do not undo each other.
CREATE FUNCTION taskbbs_task_created_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The column list of taskbbs_task_event() (migrations/0004).
  INSERT INTO task_events (type, guid, domain, state, task) VALUES (
    'task_created', NEW.guid, NEW.domain, NEW.state,
    jsonb_build_object(
      'id', NEW.id, 'guid', NEW.guid, 'domain', NEW.domain, 'state', NEW.state, 'definition', NEW.definition,
      'cell_id', NEW.cell_id, 'result', NEW.result, 'failed', NEW.failed, 'failure_reason', NEW.failure_reason,
      'rejection_count', NEW.rejection_count, 'rejection_reason', NEW.rejection_reason,
      'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'first_completed_at', NEW.first_completed_at));
  IF current_setting('taskbbs.notify_after_commit', true) IS DISTINCT FROM 'on' THEN
    PERFORM pg_notify('taskbbs_task_events', '');
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER tasks_emit_created_removed ON tasks;
CREATE TRIGGER tasks_emit_created AFTER INSERT ON tasks
  FOR EACH ROW EXECUTE FUNCTION taskbbs_task_created_event();
CREATE TRIGGER tasks_emit_removed AFTER DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION taskbbs_task_event();

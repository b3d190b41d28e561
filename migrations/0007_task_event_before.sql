-- The task as it was before each change, for streams that carry both sides of
-- a change (BBS's TaskChangedEvent{before, after}) and the removed task itself
-- (TaskRemovedEvent{task}). Null on task_created. The JSON stream does not read it.
ALTER TABLE task_events ADD COLUMN previous jsonb;

CREATE OR REPLACE FUNCTION taskbbs_task_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_task jsonb;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The same column list as the task column below: never image_password.
    old_task := jsonb_build_object(
      'id', OLD.id, 'guid', OLD.guid, 'domain', OLD.domain, 'state', OLD.state, 'definition', OLD.definition,
      'cell_id', OLD.cell_id, 'result', OLD.result, 'failed', OLD.failed, 'failure_reason', OLD.failure_reason,
      'rejection_count', OLD.rejection_count, 'rejection_reason', OLD.rejection_reason,
      'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'first_completed_at', OLD.first_completed_at);
  END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO task_events (type, guid, domain, state, previous) VALUES ('task_removed', OLD.guid, OLD.domain, OLD.state, old_task);
  ELSE
    INSERT INTO task_events (type, guid, domain, state, task, previous) VALUES (
      CASE TG_OP WHEN 'INSERT' THEN 'task_created' ELSE 'task_changed' END,
      NEW.guid, NEW.domain, NEW.state,
      jsonb_build_object(
        'id', NEW.id, 'guid', NEW.guid, 'domain', NEW.domain, 'state', NEW.state, 'definition', NEW.definition,
        'cell_id', NEW.cell_id, 'result', NEW.result, 'failed', NEW.failed, 'failure_reason', NEW.failure_reason,
        'rejection_count', NEW.rejection_count, 'rejection_reason', NEW.rejection_reason,
        'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'first_completed_at', NEW.first_completed_at),
      old_task);
  END IF;
  PERFORM pg_notify('taskbbs_task_events', '');
  RETURN NULL;
END
$$;

-- Tasks as Diego's BBS keeps them. The definition is stored as sent (minus the
-- image password, kept in its own column so that no query returning tasks can
-- carry it by accident). `id` orders listings: a stable cursor that does not
-- depend on clock resolution.
CREATE TABLE tasks (
  id                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  guid               text PRIMARY KEY,
  domain             text NOT NULL,
  state              text NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'COMPLETED', 'RESOLVING')),
  definition         jsonb NOT NULL,
  image_password     text,
  cell_id            text NOT NULL DEFAULT '',
  result             text NOT NULL DEFAULT '',
  failed             boolean NOT NULL DEFAULT false,
  failure_reason     text NOT NULL DEFAULT '',
  rejection_count    integer NOT NULL DEFAULT 0,
  rejection_reason   text NOT NULL DEFAULT '',
  created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  first_completed_at timestamptz
);

-- One index per list filter, each ending in id so a filtered page is an index range scan.
CREATE INDEX tasks_domain_id ON tasks (domain, id);
CREATE INDEX tasks_state_id ON tasks (state, id);
CREATE INDEX tasks_cell_id_id ON tasks (cell_id, id) WHERE cell_id <> '';

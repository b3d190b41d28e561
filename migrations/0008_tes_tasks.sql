-- Tasks submitted through GA4GH TES (/ga4gh/tes/v1). The Diego task in `tasks`
-- is what runs; this row keeps what only TES has: the document as submitted
-- (returned by the BASIC and FULL views), its name and tags for list filters.
-- A TES task's row also exempts its task from convergence's deletion of
-- COMPLETED tasks nobody resolved: TES clients read finished tasks back for as
-- long as they like, and never resolve them.
CREATE TABLE tes_tasks (
  guid     text PRIMARY KEY REFERENCES tasks (guid) ON DELETE CASCADE,
  name     text NOT NULL DEFAULT '',
  tags     jsonb NOT NULL DEFAULT '{}',
  document jsonb NOT NULL
);

-- name_prefix filters with starts_with(); tag filters with @> and ?.
CREATE INDEX tes_tasks_name ON tes_tasks (name text_pattern_ops);
CREATE INDEX tes_tasks_tags ON tes_tasks USING gin (tags);

-- The schema examples/business-metrics.yml expects, with a little sample data.
-- docs/business-metrics.md's quick start loads it, with the role the DSN uses:
--
--   sudo -u postgres psql -c "CREATE ROLE metrics LOGIN PASSWORD 'change-me'"
--   sudo -u postgres createdb app
--   sudo -u postgres psql -d app -v ON_ERROR_STOP=1 < examples/business-metrics.sql
--   sudo -u postgres psql -d app -c "GRANT SELECT ON installations, connections, operations TO metrics"
--   export DATABASE_URL=postgresql://metrics:change-me@localhost:5432/app
--
-- The collector only reads (every query runs in a READ ONLY transaction); a
-- role with SELECT on these tables is all it needs.

DROP TABLE IF EXISTS operations, connections, installations;
DROP TYPE IF EXISTS connection_state;

-- One row per installation of a project; `active` while it reports in.
CREATE TABLE installations (
  id         bigserial PRIMARY KEY,
  project    text        NOT NULL,
  active     boolean     NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Live client connections and the state each is in.
CREATE TYPE connection_state AS ENUM ('active', 'idle', 'waiting');
CREATE TABLE connections (
  id         bigserial PRIMARY KEY,
  project    text             NOT NULL,
  state      connection_state NOT NULL,
  opened_at  timestamptz      NOT NULL DEFAULT now()
);

-- Finished operations: what, whether it worked, how long it took.
CREATE TABLE operations (
  id          bigserial PRIMARY KEY,
  kind        text        NOT NULL,
  succeeded   boolean     NOT NULL,
  duration    interval    NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX operations_finished_at ON operations (finished_at);

INSERT INTO installations (project, active) VALUES
  ('atlas', true), ('atlas', true), ('atlas', false),
  ('borealis', true), ('borealis', true), ('borealis', true),
  ('cygnus', false);

INSERT INTO connections (project, state) VALUES
  ('atlas', 'active'), ('atlas', 'idle'), ('atlas', 'idle'),
  ('borealis', 'active'), ('borealis', 'active'), ('borealis', 'idle');

INSERT INTO operations (kind, succeeded, duration) VALUES
  ('deploy', true, '2 minutes 30 seconds'), ('deploy', true, '1 minute'),
  ('deploy', false, '45 seconds'), ('backup', true, '1 hour 2 minutes'),
  ('backup', true, '58 minutes 30.5 seconds'), ('restore', false, '10 minutes');

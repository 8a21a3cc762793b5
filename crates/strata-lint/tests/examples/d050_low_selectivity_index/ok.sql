CREATE TYPE job_state AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled');
CREATE TYPE job_kind AS ENUM ('a', 'b');
CREATE TABLE jobs (id bigint PRIMARY KEY, state job_state NOT NULL, kind job_kind NOT NULL, queued_at timestamptz NOT NULL);
CREATE INDEX jobs_state_idx ON jobs (state);
CREATE INDEX jobs_kind_queued_idx ON jobs (kind, queued_at);
CREATE INDEX jobs_queued_idx ON jobs (queued_at) WHERE kind = 'a';

CREATE TYPE job_state AS ENUM ('queued', 'running', 'done');
CREATE TABLE jobs (id bigint PRIMARY KEY, state job_state NOT NULL, tier text NOT NULL CHECK (tier IN ('free', 'pro')));
CREATE INDEX jobs_state_idx ON jobs (state);
CREATE INDEX jobs_tier_idx ON jobs (tier);

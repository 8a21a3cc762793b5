CREATE DOMAIN short_text AS text CHECK (char_length(VALUE) <= 100);
CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL CHECK (char_length(title) <= 200), notes text CHECK (length(notes) < 5000), label short_text, code varchar(10), body text GENERATED ALWAYS AS (title || notes) STORED);
CREATE TABLE jobs (id bigint PRIMARY KEY, state text NOT NULL CHECK (state IN ('queued', 'done')));
-- Clients cannot insert: row-level security with a read policy only (filled by a trigger).
CREATE TABLE audit_log (id bigint PRIMARY KEY, table_name text NOT NULL);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (true);

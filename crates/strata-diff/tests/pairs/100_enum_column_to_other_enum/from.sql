CREATE TYPE status AS ENUM ('open', 'closed');
CREATE TYPE state AS ENUM ('open', 'closed', 'archived');
CREATE TABLE t (id int PRIMARY KEY, s status NOT NULL DEFAULT 'open');
CREATE INDEX t_s_idx ON t (s) WHERE s = 'open';

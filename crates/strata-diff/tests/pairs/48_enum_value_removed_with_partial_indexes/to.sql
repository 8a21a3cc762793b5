CREATE TYPE st AS ENUM ('a', 'c');
CREATE TABLE t (id int PRIMARY KEY, s st NOT NULL DEFAULT 'a', m int, n int);
CREATE INDEX t_m_idx ON t (m) WHERE s = 'a';
CREATE INDEX t_n_idx ON t (n) WHERE s = 'c';
CREATE INDEX t_mn_idx ON t (m, n) WHERE s IN ('a', 'c');

CREATE TYPE st AS ENUM ('a', 'b', 'c');
CREATE TABLE t (id int PRIMARY KEY, s st NOT NULL DEFAULT 'a', m int, n int);
CREATE INDEX t_m_idx ON t (m) WHERE s = 'a';
CREATE INDEX t_n_idx ON t (n) WHERE s = 'b';
CREATE INDEX t_c_idx ON t (n) WHERE s = 'c';

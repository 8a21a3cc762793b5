CREATE TABLE t (id int PRIMARY KEY, a text, b int);
CREATE SCHEMA rpt;
CREATE VIEW rpt.v AS SELECT id FROM public.t;

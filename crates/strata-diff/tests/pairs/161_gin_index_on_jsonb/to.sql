CREATE TABLE t (id int PRIMARY KEY, a text, b int, doc jsonb);
CREATE INDEX t_doc_idx ON t USING gin (doc jsonb_path_ops);

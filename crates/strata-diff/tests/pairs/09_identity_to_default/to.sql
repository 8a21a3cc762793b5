CREATE SEQUENCE t_id_seq;
CREATE TABLE t (id bigint PRIMARY KEY DEFAULT nextval('t_id_seq'), v text);
ALTER SEQUENCE t_id_seq OWNED BY t.id;

CREATE TABLE p (id integer PRIMARY KEY, org integer NOT NULL, CONSTRAINT p_id_org_key UNIQUE (id, org));
CREATE TABLE t (
    id integer PRIMARY KEY, org integer NOT NULL,
    p_id integer, q_id integer, r_id integer DEFAULT 1, s_id integer,
    CONSTRAINT t_p_id_fkey FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL,
    CONSTRAINT t_q_id_fkey FOREIGN KEY (q_id, org) REFERENCES p (id, org),
    CONSTRAINT t_r_id_fkey FOREIGN KEY (r_id) REFERENCES p (id),
    CONSTRAINT t_s_id_fkey FOREIGN KEY (s_id) REFERENCES t (id) DEFERRABLE INITIALLY DEFERRED
);

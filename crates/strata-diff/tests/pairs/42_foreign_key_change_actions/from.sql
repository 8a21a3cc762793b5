CREATE TABLE a (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE b (id int PRIMARY KEY, a_id int CONSTRAINT b_a_fk REFERENCES a (id));

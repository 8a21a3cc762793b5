CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, owner_id int REFERENCES p);
CREATE INDEX c_owner_idx ON c (owner_id);

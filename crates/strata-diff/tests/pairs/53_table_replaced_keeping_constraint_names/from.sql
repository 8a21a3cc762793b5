CREATE TABLE person (id int PRIMARY KEY, name text);
CREATE TABLE pet (id int PRIMARY KEY, person_id int REFERENCES person (id));
INSERT INTO person VALUES (1, 'a');

CREATE TABLE people (id int PRIMARY KEY, name text);
ALTER INDEX people_pkey RENAME TO person_pkey;
CREATE TABLE pet (id int PRIMARY KEY, person_id int CONSTRAINT pet_person_id_fkey REFERENCES people (id));

CREATE TABLE person (id int PRIMARY KEY);
CREATE TABLE pet (id int PRIMARY KEY, owner int REFERENCES person);

CREATE TABLE booking (id int PRIMARY KEY, during tstzrange NOT NULL);

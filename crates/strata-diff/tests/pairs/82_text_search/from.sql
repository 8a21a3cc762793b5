CREATE TABLE pages (id int PRIMARY KEY, body text NOT NULL);

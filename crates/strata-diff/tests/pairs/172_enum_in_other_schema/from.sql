CREATE SCHEMA app;
CREATE TYPE app.st AS ENUM ('a');
CREATE TABLE app.t (id int PRIMARY KEY, s app.st);

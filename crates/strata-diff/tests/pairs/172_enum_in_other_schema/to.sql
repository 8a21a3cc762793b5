CREATE SCHEMA app;
CREATE TYPE app.st AS ENUM ('a', 'b');
CREATE TABLE app.t (id int PRIMARY KEY, s app.st DEFAULT 'b');

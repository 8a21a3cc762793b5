CREATE FUNCTION sum_sfunc(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
CREATE FUNCTION sum_inv(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2';
CREATE AGGREGATE msum(integer) (SFUNC = sum_sfunc, STYPE = integer, INITCOND = '0', PARALLEL = SAFE);
CREATE AGGREGATE my_max(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE TABLE scores (id integer PRIMARY KEY, points integer NOT NULL);
CREATE VIEW score_summary AS SELECT msum(points) AS total FROM scores;

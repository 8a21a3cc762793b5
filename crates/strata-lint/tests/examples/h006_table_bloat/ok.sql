CREATE TABLE events (id integer NOT NULL, payload text NOT NULL);
INSERT INTO events
  SELECT i, md5(i::text) || md5((i + 1)::text) || md5((i + 2)::text)
    FROM generate_series(1, 200000) i;
VACUUM ANALYZE events;

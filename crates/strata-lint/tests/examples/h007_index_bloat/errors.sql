CREATE TABLE events (id integer NOT NULL, payload text NOT NULL);
CREATE INDEX events_payload_idx ON events (payload);
INSERT INTO events
  SELECT i, md5(i::text) || md5((i + 1)::text) || md5((i + 2)::text)
    FROM generate_series(1, 200000) i;
-- nine entries in ten go from every leaf page; VACUUM frees only pages left empty
DELETE FROM events WHERE id % 10 <> 0;
VACUUM ANALYZE events;

CREATE TABLE jobs (id bigint PRIMARY KEY, state text NOT NULL);
INSERT INTO jobs SELECT i, 'done' FROM generate_series(1, 50000) i;
DELETE FROM jobs WHERE id % 2 = 0;
-- vacuum removes the dead versions the delete left
VACUUM jobs;

CREATE TABLE visits (id bigint PRIMARY KEY, at timestamptz DEFAULT CURRENT_TIMESTAMP, local_time time DEFAULT LOCALTIME);
CREATE VIEW recent AS SELECT id FROM visits WHERE at > now() - interval '1 day';

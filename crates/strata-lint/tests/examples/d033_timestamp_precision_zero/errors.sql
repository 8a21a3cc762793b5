CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz(0) NOT NULL DEFAULT now(), logged timestamp(0), opens time(0));

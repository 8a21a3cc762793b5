CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), at3 timestamptz(3), local_at timestamp(6));

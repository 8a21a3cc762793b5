CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz NOT NULL, cancelled_at timestamptz, user_id bigint REFERENCES users ON DELETE SET NULL);
CREATE INDEX orders_placed_idx ON orders (placed_at);
CREATE INDEX orders_cancelled_idx ON orders (cancelled_at) WHERE cancelled_at IS NOT NULL;
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE INDEX orders_cancelled_placed_idx ON orders (cancelled_at, placed_at);

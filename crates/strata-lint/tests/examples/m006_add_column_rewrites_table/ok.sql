SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN public_id uuid;
ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
-- A stable default is stored once, not written into every row.
ALTER TABLE orders ADD COLUMN imported_at timestamptz DEFAULT now();

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE UNIQUE INDEX IF NOT EXISTS customers_email_idx ON public.customers (email);

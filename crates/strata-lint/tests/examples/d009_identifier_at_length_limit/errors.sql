CREATE TABLE customer_subscription_invoices (id bigint PRIMARY KEY, customer_id bigint, subscription_id bigint, created_at timestamptz);
CREATE INDEX idx_customer_subscription_invoices_customer_id_subscription_id_created_at ON customer_subscription_invoices (customer_id, subscription_id, created_at);

DROP VIEW active_customers CASCADE;
DROP FUNCTION IF EXISTS public.customer_name(bigint);
DROP TRIGGER orders_touch ON orders;

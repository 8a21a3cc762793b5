SET lock_timeout = '5s';
DROP INDEX IF EXISTS public.orders_placed_at_idx;

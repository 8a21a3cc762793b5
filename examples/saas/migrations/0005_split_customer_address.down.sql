-- 0005_split_customer_address (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0005_split_customer_address.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- drop foreign key public.customer_addresses.customer_addresses_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses DROP CONSTRAINT customer_addresses_organization_id_fkey;

-- drop foreign key public.customer_addresses.customer_addresses_customer_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses DROP CONSTRAINT customer_addresses_customer_id_fkey;

-- create column public.customers.address
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers ADD COLUMN address text;

-- create column public.customers.city
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers ADD COLUMN city text;

-- create check constraint public.customers.customers_address_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers
    ADD CONSTRAINT customers_address_length CHECK ((char_length(address) <= 500)) NOT VALID;

COMMIT;

-- validate check constraint public.customers.customers_address_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.customers VALIDATE CONSTRAINT customers_address_length;
RESET lock_timeout;

BEGIN;
-- create check constraint public.customers.customers_city_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers
    ADD CONSTRAINT customers_city_length CHECK ((char_length(city) <= 100)) NOT VALID;

COMMIT;

-- validate check constraint public.customers.customers_city_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.customers VALIDATE CONSTRAINT customers_city_length;
RESET lock_timeout;

BEGIN;
-- comment on column public.customers.address
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.address IS 'Postal address.';

-- drop table public.customer_addresses
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.customer_addresses;

COMMIT;

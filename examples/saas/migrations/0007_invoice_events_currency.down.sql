-- 0007_invoice_events_currency (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0007_invoice_events_currency.
-- drop foreign key public.invoice_events.invoice_events_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_events DROP CONSTRAINT invoice_events_organization_id_fkey;

-- drop foreign key public.invoice_events.invoice_events_invoice_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_events DROP CONSTRAINT invoice_events_invoice_id_fkey;

-- drop column public.invoices.currency
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP COLUMN currency;

-- drop table public.invoice_events_y2025
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.invoice_events_y2025;

-- drop table public.invoice_events_y2024
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.invoice_events_y2024;

-- drop table public.invoice_events_later
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.invoice_events_later;

-- drop table public.invoice_events
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.invoice_events;

-- drop domain public.currency_code
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP DOMAIN public.currency_code;

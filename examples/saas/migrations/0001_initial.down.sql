-- 0001_initial (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0001_initial.
-- drop foreign key public.payments.payments_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments DROP CONSTRAINT payments_organization_id_fkey;

-- drop foreign key public.payments.payments_invoice_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments DROP CONSTRAINT payments_invoice_id_fkey;

-- drop foreign key public.members.members_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.members DROP CONSTRAINT members_organization_id_fkey;

-- drop foreign key public.invoices.invoices_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP CONSTRAINT invoices_organization_id_fkey;

-- drop foreign key public.invoices.invoices_customer_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP CONSTRAINT invoices_customer_id_fkey;

-- drop foreign key public.invoice_lines.invoice_lines_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines DROP CONSTRAINT invoice_lines_organization_id_fkey;

-- drop foreign key public.invoice_lines.invoice_lines_invoice_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines DROP CONSTRAINT invoice_lines_invoice_id_fkey;

-- drop foreign key public.customers.customers_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP CONSTRAINT customers_organization_id_fkey;

-- drop table public.payments
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.payments;

-- drop table public.organizations
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.organizations;

-- drop table public.members
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.members;

-- drop enum public.member_role
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP TYPE public.member_role;

-- drop table public.invoices
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.invoices;

-- drop enum public.invoice_status
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP TYPE public.invoice_status;

-- drop table public.invoice_lines
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.invoice_lines;

-- drop table public.customers
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.customers;

-- drop function public.set_updated_at()
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP FUNCTION public.set_updated_at();

-- drop function public.audit_row_change()
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP FUNCTION public.audit_row_change();

-- drop table public.audit_log
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.audit_log;

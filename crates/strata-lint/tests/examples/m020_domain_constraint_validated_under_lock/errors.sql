ALTER DOMAIN public.currency_code ADD CONSTRAINT currency_code_known CHECK (VALUE <> 'XXX');

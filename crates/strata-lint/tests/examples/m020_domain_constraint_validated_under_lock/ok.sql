ALTER DOMAIN currency_code ADD CONSTRAINT currency_code_known CHECK (VALUE <> 'XXX') NOT VALID;
ALTER DOMAIN currency_code VALIDATE CONSTRAINT currency_code_known;
-- A domain created in the same migration is used by no existing column.
CREATE DOMAIN percent numeric;
ALTER DOMAIN percent ADD CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);

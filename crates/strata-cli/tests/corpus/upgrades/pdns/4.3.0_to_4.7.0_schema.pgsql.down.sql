-- PowerDNS 4.3: domains.type is VARCHAR(6), no catalog zones (options, catalog).
DROP INDEX catalog_idx;
ALTER TABLE domains DROP COLUMN options, DROP COLUMN catalog;
ALTER TABLE domains ALTER COLUMN type TYPE VARCHAR(6);

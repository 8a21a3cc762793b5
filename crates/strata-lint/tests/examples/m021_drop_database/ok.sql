-- Databases are managed where environments are provisioned.
SET lock_timeout = '5s';
DROP TABLE IF EXISTS scratch;

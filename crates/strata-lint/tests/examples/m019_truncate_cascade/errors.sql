SET lock_timeout = '5s';
TRUNCATE TABLE customers CASCADE;

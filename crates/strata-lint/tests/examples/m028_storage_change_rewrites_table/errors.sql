SET lock_timeout = '5s';
ALTER TABLE staging SET LOGGED;

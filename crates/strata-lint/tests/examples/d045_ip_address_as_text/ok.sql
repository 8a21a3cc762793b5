CREATE TABLE logins (id bigint PRIMARY KEY, client_ip inet NOT NULL, ip_allowlisted boolean, zip text);

CREATE TABLE logins (id bigint PRIMARY KEY, client_ip text NOT NULL, ip_address varchar(45));

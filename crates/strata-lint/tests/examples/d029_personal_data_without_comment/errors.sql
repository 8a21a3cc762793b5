CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, first_name text, billing_address text, last_ip_address inet);

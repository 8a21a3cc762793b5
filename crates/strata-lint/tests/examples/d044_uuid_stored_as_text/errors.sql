CREATE TABLE orders (id char(36) PRIMARY KEY, external_uuid varchar(36) NOT NULL, guid text, customer_id varchar(36));

CREATE TABLE invoices (id bigint PRIMARY KEY, total double precision NOT NULL, unit_price real, shipping_fee float8);

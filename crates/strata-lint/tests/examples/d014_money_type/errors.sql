CREATE TABLE invoices (id bigint PRIMARY KEY, total money NOT NULL);

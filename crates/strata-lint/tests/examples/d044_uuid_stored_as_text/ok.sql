CREATE TABLE orders (id uuid PRIMARY KEY, external_uuid uuid NOT NULL, code varchar(36), uuid_version int);

CREATE TYPE money_amount AS (amount numeric(12,2), currency text);
CREATE TYPE code_span AS RANGE (subtype = text, collation = "C");
CREATE TABLE prices (id int PRIMARY KEY, price money_amount, codes code_span);
CREATE TYPE address AS (street text, city text);
CREATE TABLE shops (id int PRIMARY KEY, address address);

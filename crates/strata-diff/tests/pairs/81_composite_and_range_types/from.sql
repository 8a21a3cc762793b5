CREATE TYPE money_amount AS (amount numeric(12,2), currency text);
CREATE TABLE prices (id int PRIMARY KEY, price money_amount);

CREATE TABLE t (id int PRIMARY KEY, tenant int NOT NULL);
CREATE POLICY old_policy ON t USING (tenant = 1);

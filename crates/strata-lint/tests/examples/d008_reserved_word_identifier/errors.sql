CREATE TABLE "order" (id bigint PRIMARY KEY, "user" bigint NOT NULL, "check" boolean);
CREATE VIEW "table" AS SELECT id FROM "order";

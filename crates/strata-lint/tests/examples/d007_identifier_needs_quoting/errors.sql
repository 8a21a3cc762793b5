CREATE TABLE "UserAccounts" ("Id" bigint PRIMARY KEY, "E-mail" text);
CREATE INDEX "UserAccounts_Email" ON "UserAccounts" ("E-mail");
CREATE VIEW "Active Users" AS SELECT "Id" FROM "UserAccounts";
CREATE TYPE "Mood" AS ENUM ('ok');

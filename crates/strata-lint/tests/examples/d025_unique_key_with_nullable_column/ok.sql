CREATE TABLE pages (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, slug text NOT NULL, UNIQUE (tenant_id, slug));
CREATE TABLE tags (id bigint PRIMARY KEY, owner_id bigint, name text NOT NULL, UNIQUE NULLS NOT DISTINCT (owner_id, name));

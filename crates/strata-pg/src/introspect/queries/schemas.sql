-- Schemas that hold user objects: system schemas, temporary schemas and schemas created by
-- extensions are left out.
-- `default_owner`: who owns the schema when a script creates it (the database owner), or for
-- public what initdb gives it (pg_database_owner from PostgreSQL 15, else the bootstrap
-- superuser; PostgreSQL 14 has the role pg_database_owner but does not give it public).
SELECT n.nspname,
       obj_description(n.oid, 'pg_namespace') AS comment,
       pg_get_userbyid(n.nspowner)::text AS owner,
       CASE WHEN n.nspname = 'public'
            THEN 'pg_database_owner' -- pg>=150000
            THEN pg_get_userbyid(10) -- pg<150000
            ELSE (SELECT pg_get_userbyid(d.datdba) FROM pg_database d
                  WHERE d.datname = current_database())
       END::text AS default_owner
FROM pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname

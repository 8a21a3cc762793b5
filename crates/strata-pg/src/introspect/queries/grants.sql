-- Privileges that differ from what an object has by default: entries of the ACL that are
-- not in its baseline (the owner's implicit rights, the built-in defaults, and for objects
-- made by initdb such as schema public the initial privileges) are grants; baseline entries
-- missing from the ACL are revokes. Only objects with a non-default ACL are looked at.
WITH objs AS (
    SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
           n.nspname::text AS schema, c.relname::text AS name, NULL::text AS col,
           NULL::text AS args, c.relowner AS owner, c.relacl AS acl,
           acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner) AS base
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relacl IS NOT NULL
      AND n.nspname = ANY($1)
    UNION ALL
    SELECT 'TABLE', n.nspname, c.relname, a.attname, NULL, c.relowner, a.attacl,
           acldefault('c', c.relowner)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
      AND n.nspname = ANY($1)
    UNION ALL
    SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, n.nspname,
           p.proname, NULL, pg_get_function_identity_arguments(p.oid), p.proowner, p.proacl,
           acldefault('f', p.proowner)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proacl IS NOT NULL AND n.nspname = ANY($1)
    UNION ALL
    SELECT 'SCHEMA', n.nspname, n.nspname, NULL, NULL, n.nspowner, n.nspacl,
           COALESCE((SELECT ip.initprivs FROM pg_init_privs ip
                     WHERE ip.classoid = 'pg_namespace'::regclass AND ip.objoid = n.oid
                       AND ip.objsubid = 0),
                    acldefault('n', n.nspowner))
    FROM pg_namespace n
    WHERE n.nspacl IS NOT NULL AND n.nspname = ANY($1)
    UNION ALL
    SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, NULL,
           NULL, t.typowner, t.typacl, acldefault('T', t.typowner)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typacl IS NOT NULL AND n.nspname = ANY($1)
)
SELECT o.kind, o.schema, o.name, o.col, o.args, 'grant' AS op,
       CASE WHEN e.grantee = 0 THEN 'public' ELSE pg_get_userbyid(e.grantee)::text END AS grantee,
       e.privilege_type::text AS privilege, e.is_grantable
FROM objs o, aclexplode(o.acl) e
WHERE NOT EXISTS (SELECT 1 FROM aclexplode(o.base) b
                  WHERE b.grantee = e.grantee AND b.privilege_type = e.privilege_type
                    AND b.is_grantable = e.is_grantable)
  AND NOT (e.grantee = o.owner
           AND EXISTS (SELECT 1 FROM aclexplode(acldefault(
                           CASE o.kind WHEN 'SCHEMA' THEN 'n' ELSE 'r' END::"char", o.owner)) b
                       WHERE b.grantee = e.grantee AND b.privilege_type = e.privilege_type))
UNION ALL
SELECT o.kind, o.schema, o.name, o.col, o.args, 'revoke',
       CASE WHEN b.grantee = 0 THEN 'public' ELSE pg_get_userbyid(b.grantee)::text END,
       b.privilege_type::text, b.is_grantable
FROM objs o, aclexplode(o.base) b
WHERE b.grantee <> o.owner
  AND b.grantee <> COALESCE((SELECT r.oid FROM pg_roles r WHERE r.rolname = 'pg_database_owner'), 0)
  AND NOT EXISTS (SELECT 1 FROM aclexplode(o.acl) e
                  WHERE e.grantee = b.grantee AND e.privilege_type = b.privilege_type)
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8

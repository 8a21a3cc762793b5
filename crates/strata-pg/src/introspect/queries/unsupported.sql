-- Objects the model cannot represent, by kind and name, so they are reported rather than
-- dropped silently. Members of extensions are left out.
WITH ext AS (
    SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'
)
SELECT 'event trigger' AS kind, e.evtname::text AS name FROM pg_event_trigger e
JOIN pg_proc f ON f.oid = e.evtfoid JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE fn.nspname <> ALL($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_event_trigger'::regclass AND ext.objid = e.oid)
UNION ALL
-- Tables on another access method than heap (USING ...) before PostgreSQL 15, which cannot
-- set one afterwards (from 15 it is carried as SQL: verbatim.sql).
SELECT 'table', n.nspname || '.' || c.relname || ' (USING ' || am.amname || ')'
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r', 'm', 'p') AND am.amname <> 'heap' AND n.nspname = ANY($1)
  AND current_setting('server_version_num')::int < 150000
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
-- User mappings hold credentials: their options are never read (the view readable by any
-- role names them only).
SELECT 'user mapping', um.usename::text || ' for server ' || um.srvname
FROM pg_user_mappings um
UNION ALL
SELECT 'publication', p.pubname::text FROM pg_publication p
WHERE EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_class tc ON tc.oid = pr.prrelid
              JOIN pg_namespace tn ON tn.oid = tc.relnamespace
              WHERE pr.prpubid = p.oid AND tn.nspname <> ALL($1))
UNION ALL
SELECT 'default privileges', COALESCE(n.nspname, '(all schemas)') || ' for role ' || pg_get_userbyid(d.defaclrole)
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
WHERE d.defaclnamespace = 0 OR n.nspname = ANY($1)
UNION ALL
-- Shell types (CREATE TYPE name; never completed); base types are carried as SQL.
SELECT 'pseudo-type', n.nspname || '.' || t.typname
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE n.nspname = ANY($1) AND t.typtype = 'p'
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'transform', format_type(t.trftype, NULL) || ' for language ' || l.lanname
FROM pg_transform t JOIN pg_language l ON l.oid = t.trflang
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_transform'::regclass AND ext.objid = t.oid)
UNION ALL
-- Security labels (SECURITY LABEL FOR provider ...) on objects of the schemas read, and on
-- those schemas: they need the provider's module loaded, which Strata cannot assume.
SELECT 'security label', s.objtype || ' ' || s.objname || ' (provider ' || s.provider || ')'
FROM pg_seclabels s
WHERE s.objnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1))
   OR (s.objtype = 'schema' AND s.objname::name = ANY($1))
ORDER BY 1, 2

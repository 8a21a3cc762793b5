-- Tables, partitioned tables, views, materialized views and foreign tables.
SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity, c.relforcerowsecurity, c.relispartition,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       par.nspname AS parent_schema, par.relname AS parent_name,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
       CASE WHEN c.relkind = 'p' THEN pt.partstrat::text END AS partstrat,
       CASE WHEN c.relkind = 'p' THEN pt.partattrs::int2[] END AS partattrs,
       -- Operator classes of the key that are not the default, as pg_get_partkeydef prints
       -- them (schema-qualified outside pg_catalog).
       CASE WHEN c.relkind = 'p' THEN
           ARRAY(SELECT CASE WHEN o.opcdefault THEN NULL
                             WHEN opn.nspname = 'pg_catalog' THEN quote_ident(o.opcname)
                             ELSE quote_ident(opn.nspname) || '.' || quote_ident(o.opcname) END
                 FROM unnest(pt.partclass::oid[]) WITH ORDINALITY k(opc, ord)
                 JOIN pg_opclass o ON o.oid = k.opc
                 JOIN pg_namespace opn ON opn.oid = o.opcnamespace
                 ORDER BY k.ord)
       END AS partopclasses,
       -- in the catalog's order, which pg_dump prints; TOAST parameters after the table's
       ARRAY(SELECT o FROM (
                 SELECT o, 0 AS part, k FROM unnest(c.reloptions) WITH ORDINALITY x(o, k)
                 UNION ALL
                 SELECT 'toast.' || o, 1, k FROM pg_class tc,
                        unnest(tc.reloptions) WITH ORDINALITY x(o, k)
                 WHERE tc.oid = c.reltoastrelid) opts
             ORDER BY part, k)::text[] AS reloptions,
       obj_description(c.oid, 'pg_class') AS comment,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
       ARRAY(SELECT pn.nspname::text
             FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
             JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY i.inhseqno) AS inherits_schemas,
       ARRAY(SELECT p.relname::text
             FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
             WHERE i.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY i.inhseqno) AS inherits_names
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
LEFT JOIN LATERAL (
    SELECT pn.nspname, p.relname
    FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace pn ON pn.oid = p.relnamespace
    WHERE i.inhrelid = c.oid AND c.relispartition
) par ON true
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')

-- Domains with their base type resolved like a column's (array element + dimensions).
SELECT n.nspname, t.typname,
       CASE WHEN bn.nspname = 'pg_catalog' THEN NULL ELSE bn.nspname END AS base_schema,
       CASE WHEN bn.nspname = 'pg_catalog' THEN format_type(arr.elem, t.typtypmod)
            ELSE bt.typname::text END AS base_name,
       CASE WHEN arr.elem <> t.typbasetype THEN GREATEST(t.typndims, 1) ELSE 0 END AS dims,
       t.typnotnull,
       t.typdefault,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN co.collname::text END
           AS collation,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation
            THEN con_ns.nspname::text END AS collation_schema,
       ARRAY(SELECT c.conname::text FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_names,
       ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_defs,
       ARRAY(SELECT c.convalidated FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_valid,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type b ON b.oid = t.typbasetype
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.typlen = -1 AND b.typelem <> 0 AND b.typcategory = 'A'
                THEN b.typelem ELSE b.oid END AS elem
) arr
JOIN pg_type bt ON bt.oid = arr.elem
JOIN pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace con_ns ON con_ns.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')

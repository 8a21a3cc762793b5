-- Sequences with their owner column: deptype 'a' is OWNED BY, 'i' an identity column's
-- sequence (which belongs to the column, not to the model's sequence list).
SELECT n.nspname, c.relname,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       own.nspname AS owner_schema, own.relname AS owner_table, own.attname AS owner_column,
       own.deptype::text AS owner_kind,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT tn.nspname, t.relname, a.attname, d.deptype
    FROM pg_depend d
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_namespace tn ON tn.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LIMIT 1
) own ON true
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')

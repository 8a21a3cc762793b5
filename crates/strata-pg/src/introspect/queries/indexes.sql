-- Indexes, with per-key detail. Operator classes are named bare when they live in pg_catalog or
-- public (the default search_path, as the designer writes them), else schema-qualified. `owner_contype` is set when a constraint owns the index
-- (primary key, unique, exclusion); `attached` when it is a partition of a parent's index.
SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indnkeyatts,
       i.indnullsnotdistinct, -- pg>=150000
       false AS indnullsnotdistinct, -- pg<150000
       ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS key_columns,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS key_defs,
       ARRAY(SELECT CASE WHEN o.opcdefault THEN NULL
                         WHEN opn.nspname IN ('pg_catalog', 'public') THEN o.opcname::text
                         ELSE quote_ident(opn.nspname) || '.' || quote_ident(o.opcname) END
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(opc, ord)
             JOIN pg_opclass o ON o.oid = k.opc
             JOIN pg_namespace opn ON opn.oid = o.opcnamespace
             ORDER BY k.ord) AS opclasses,
       ARRAY(SELECT CASE WHEN k.coll IS NULL OR k.coll = 0 THEN NULL
                         WHEN a.attnum IS NOT NULL AND k.coll = a.attcollation THEN NULL
                         WHEN a.attnum IS NULL AND k.coll = 100 THEN NULL
                         ELSE co.collname::text END
             FROM unnest(i.indkey::int2[], i.indcollation::oid[]) WITH ORDINALITY k(attnum, coll, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                                     AND k.attnum <> 0
             LEFT JOIN pg_collation co ON co.oid = k.coll
             WHERE k.ord <= i.indnkeyatts
             ORDER BY k.ord) AS collations,
       i.indoption::int2[] AS options,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       COALESCE(ic.reloptions::text[], '{}') AS reloptions,
       obj_description(i.indexrelid, 'pg_class') AS comment,
       EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid) AS attached,
       con.contype::text AS owner_contype,
       con.conname::text AS owner_conname,
       i.indisvalid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                           AND con.contype IN ('p', 'u', 'x')
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname = ANY($1)
ORDER BY i.indrelid, ic.relname

-- Table constraints. `conparentid <> 0`: cloned from a partitioned parent's constraint.
-- From PostgreSQL 18 NOT NULL is a constraint too (contype 'n'), named and one per column.
SELECT con.conrelid, con.conname, con.contype::text AS contype,
       con.condeferrable, con.condeferred, con.convalidated, con.conislocal, con.connoinherit,
       con.conparentid <> 0 AS from_parent,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       rn.nspname AS ref_schema, rc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       con.confdelsetcols IS NOT NULL AS delete_set_columns, -- pg>=150000
       false AS delete_set_columns, -- pg<150000
       -- WITHOUT OVERLAPS keys and PERIOD foreign keys (temporal constraints).
       con.conperiod AS period, -- pg>=180000
       false AS period, -- pg<180000
       -- NOT ENFORCED checks and foreign keys.
       con.conenforced, -- pg>=180000
       true AS conenforced, -- pg<180000
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS check_expr,
       con.conindid,
       ARRAY(SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN op.oprname::text
                         ELSE 'OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')' END
             FROM unnest(con.conexclop) WITH ORDINALITY k(opr, ord)
             JOIN pg_operator op ON op.oid = k.opr
             JOIN pg_namespace opn ON opn.oid = op.oprnamespace
             ORDER BY k.ord) AS exclusion_ops,
       obj_description(con.oid, 'pg_constraint') AS comment,
       pg_get_constraintdef(con.oid) AS condef,
       -- A unique constraint a foreign key references (through its index).
       con.contype = 'u' AND EXISTS (SELECT 1 FROM pg_constraint rf
                                     WHERE rf.contype = 'f' AND rf.conindid = con.conindid)
           AS referenced
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE (con.contype IN ('p', 'u', 'f', 'c', 'x')
       OR con.contype = 'n' -- pg>=180000
      )
  AND n.nspname = ANY($1)
ORDER BY con.conrelid, con.conname

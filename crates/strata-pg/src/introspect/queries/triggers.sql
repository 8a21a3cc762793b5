-- User triggers (internal ones implement foreign keys). `from_parent`: cloned from a
-- partitioned parent's row trigger.
SELECT t.tgrelid, t.tgname, t.tgtype::int4 AS tgtype, t.tgenabled::text AS enabled,
       t.tgconstraint <> 0 AS is_constraint,
       t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL AS transition_tables,
       t.tgparentid <> 0 AS from_parent,
       pn.nspname AS function_schema, p.proname AS function_name,
       t.tgnargs::int4 AS nargs, t.tgargs,
       ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       pg_get_triggerdef(t.oid) AS def,
       obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE NOT t.tgisinternal
  AND n.nspname = ANY($1)
ORDER BY t.tgrelid, t.tgname

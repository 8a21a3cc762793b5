-- Functions, procedures and aggregates (with their pg_aggregate row).
SELECT p.oid, n.nspname, p.proname, p.prokind::text AS prokind,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_identity_arguments(p.oid) AS identity_arguments,
       pg_get_function_result(p.oid) AS result,
       l.lanname, p.prosrc, p.provolatile::text AS volatility, p.proisstrict, p.prosecdef,
       p.proleakproof, p.proparallel::text AS parallel, p.procost::float8 AS cost,
       p.prorows::float8 AS rows, p.proretset, p.proconfig::text[] AS config,
       p.prosqlbody IS NOT NULL AS atomic_body, -- pg>=140000
       false AS atomic_body, -- pg<140000
       obj_description(p.oid, 'pg_proc') AS comment,
       a.aggkind::text AS aggkind,
       CASE WHEN a.aggfnoid IS NOT NULL THEN sn.nspname END AS sfunc_schema,
       sf.proname AS sfunc_name,
       CASE WHEN a.aggfnoid IS NOT NULL THEN format_type(a.aggtranstype, NULL) END AS stype,
       fn.nspname AS finalfunc_schema, ff.proname AS finalfunc_name,
       cfn.nspname AS combinefunc_schema, cf.proname AS combinefunc_name,
       a.agginitval,
       -- What the model's Aggregate does not hold: such an aggregate is carried as SQL
       -- (verbatim.sql, same condition).
       COALESCE(a.aggfinalextra OR a.aggmtransfn <> 0 OR a.aggsortop <> 0
                OR a.aggserialfn <> 0 OR a.aggdeserialfn <> 0 OR a.aggtransspace <> 0
                OR a.aggfinalmodify <> 'r' OR p.proparallel <> 'u', false) AS agg_extra
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_proc sf ON sf.oid = a.aggtransfn
LEFT JOIN pg_namespace sn ON sn.oid = sf.pronamespace
LEFT JOIN pg_proc ff ON ff.oid = a.aggfinalfn
LEFT JOIN pg_namespace fn ON fn.oid = ff.pronamespace
LEFT JOIN pg_proc cf ON cf.oid = a.aggcombinefn
LEFT JOIN pg_namespace cfn ON cfn.oid = cf.pronamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY n.nspname, p.proname, identity_arguments

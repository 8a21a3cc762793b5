SELECT pol.polrelid, pol.polname, pol.polcmd::text AS cmd, pol.polpermissive,
       ARRAY(SELECT CASE WHEN r.role = 0 THEN 'public' ELSE pg_get_userbyid(r.role)::text END
             FROM unnest(pol.polroles) WITH ORDINALITY r(role, ord) ORDER BY r.ord) AS roles,
       pg_get_expr(pol.polqual, pol.polrelid) AS using_expr,
       pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr,
       obj_description(pol.oid, 'pg_policy') AS comment
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1)
ORDER BY pol.polrelid, pol.polname

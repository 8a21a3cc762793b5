-- Installed extensions. plpgsql is in every database from template1, so it is not part of a
-- schema design.
SELECT e.extname, n.nspname, e.extversion
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname

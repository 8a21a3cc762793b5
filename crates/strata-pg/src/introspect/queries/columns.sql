-- Columns of every relation, in order. Types resolve like this: built-in types (pg_catalog)
-- in format_type() spelling, other types by schema and name with their modifier; arrays as element + dimensions.
SELECT a.attrelid, a.attname,
       CASE WHEN tn.nspname = 'pg_catalog' THEN NULL ELSE tn.nspname END AS type_schema,
       CASE WHEN tn.nspname = 'pg_catalog' THEN format_type(arr.elem, a.atttypmod)
            ELSE et.typname::text
                 -- the type modifier of a type outside pg_catalog (`geometry(Polygon,4326)`)
                 || substr(format_type(arr.elem, a.atttypmod),
                           length(format_type(arr.elem, NULL)) + 1) END AS type_name,
       CASE WHEN arr.elem <> a.atttypid THEN GREATEST(a.attndims, 1) ELSE 0 END AS dims,
       a.attnotnull, a.attislocal,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation,
       CASE WHEN a.attcollation <> t.typcollation THEN cn.nspname::text END AS collation_schema,
       col_description(a.attrelid, a.attnum) AS comment,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       a.attcompression::text AS compression, -- pg>=140000
       ''::text AS compression, -- pg<140000
       a.attoptions::text[] AS options,
       -- int4 up to 15, int2 from 16, NULL rather than -1 for "the default" from 17.
       a.attstattarget::int4 AS stattarget
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
CROSS JOIN LATERAL (
    SELECT CASE WHEN t.typlen = -1 AND t.typelem <> 0 AND t.typcategory = 'A'
                THEN t.typelem ELSE t.oid END AS elem
) arr
JOIN pg_type et ON et.oid = arr.elem
JOIN pg_namespace tn ON tn.oid = et.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname = ANY($1)
ORDER BY a.attrelid, a.attnum

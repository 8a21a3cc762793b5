-- Objects carried as the SQL that creates them (see `VerbatimObject`), with the statement that
-- drops them and the relation they belong to. `stage`: where they go in a script; `rank`:
-- their order within it (what others use first). Members of extensions are left out.
WITH ext AS (
    SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'
)
-- Collations created in a user schema. The locale column moved between versions
-- (collcollate, then colliculocale for ICU in 15, then colllocale in 17): read through jsonb.
SELECT 'before_tables' AS stage, 1 AS rank, 'collation' AS kind,
       n.nspname || '.' || c.collname AS name,
       'CREATE COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(c.collname)
       || ' (provider = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'
                                                 ELSE 'libc' END
       || CASE WHEN c.collprovider = 'c'
               THEN ', lc_collate = ' || quote_literal(c.collcollate)
                    || ', lc_ctype = ' || quote_literal(c.collctype)
               ELSE ', locale = ' || quote_literal(COALESCE(to_jsonb(c) ->> 'colllocale',
                                                            to_jsonb(c) ->> 'colliculocale',
                                                            c.collcollate)) END
       || COALESCE(', rules = ' || quote_literal(to_jsonb(c) ->> 'collicurules'), '')
       || CASE WHEN c.collisdeterministic THEN '' ELSE ', deterministic = false' END
       || ');'
       || COALESCE(E'\nCOMMENT ON COLLATION ' || quote_ident(n.nspname) || '.'
                   || quote_ident(c.collname) || ' IS '
                   || quote_literal(obj_description(c.oid, 'pg_collation')) || ';', '') AS sql,
       'DROP COLLATION ' || quote_ident(n.nspname) || '.' || quote_ident(c.collname) || ';'
           AS drop_sql,
       NULL::name AS on_schema, NULL::name AS on_name
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_collation'::regclass AND ext.objid = c.oid)
UNION ALL
-- Base types (input and output functions, which a script or a C library provides) and
-- procedural languages not made by an extension: before the functions, which may be written
-- in them or take them. A base type comes with its shell and its support functions; a
-- language with its handler, inline and validator functions of the schemas read.
SELECT 'before_functions', 1, 'language', l.lanname::text,
       COALESCE((SELECT string_agg(rtrim(pg_get_functiondef(f.oid), E'\n') || ';', E'\n' ORDER BY f.oid)
                 FROM pg_proc f JOIN pg_namespace fn ON fn.oid = f.pronamespace
                 WHERE f.oid IN (l.lanplcallfoid, l.laninline, l.lanvalidator)
                   AND fn.nspname = ANY($1)
                   AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass
                                   AND ext.objid = f.oid)) || E'\n', '')
       || 'CREATE ' || CASE WHEN l.lanpltrusted THEN 'TRUSTED ' ELSE '' END
       || 'LANGUAGE ' || quote_ident(l.lanname)
       || ' HANDLER ' || l.lanplcallfoid::regproc::text
       || CASE WHEN l.laninline <> 0 THEN ' INLINE ' || l.laninline::regproc::text ELSE '' END
       || CASE WHEN l.lanvalidator <> 0 THEN ' VALIDATOR ' || l.lanvalidator::regproc::text ELSE '' END
       || ';'
       || COALESCE(E'\nCOMMENT ON LANGUAGE ' || quote_ident(l.lanname) || ' IS '
                   || quote_literal(obj_description(l.oid, 'pg_language')) || ';', ''),
       'DROP LANGUAGE ' || quote_ident(l.lanname) || ';'
       || COALESCE((SELECT string_agg(E'\nDROP FUNCTION ' || f.oid::regprocedure::text || ';', '' ORDER BY f.oid)
                    FROM pg_proc f JOIN pg_namespace fn ON fn.oid = f.pronamespace
                    WHERE f.oid IN (l.lanplcallfoid, l.laninline, l.lanvalidator)
                      AND fn.nspname = ANY($1)
                      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass
                                      AND ext.objid = f.oid)), ''),
       NULL, NULL
FROM pg_language l
WHERE l.oid >= 16384 AND l.lanispl
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_language'::regclass AND ext.objid = l.oid)
UNION ALL
SELECT 'before_functions', 2, 'type', n.nspname || '.' || t.typname,
       'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ';'
       || COALESCE((SELECT string_agg(E'\n' || rtrim(pg_get_functiondef(f.oid), E'\n') || ';', '' ORDER BY f.oid)
                    FROM pg_proc f JOIN pg_namespace fn ON fn.oid = f.pronamespace
                    WHERE f.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin,
                                    t.typmodout, t.typanalyze
                                    , t.typsubscript -- pg>=140000
                                    )
                      AND fn.nspname = ANY($1)
                      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass
                                      AND ext.objid = f.oid)), '')
       || E'\nCREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' ('
       || E'\n    INPUT = ' || t.typinput::regproc::text
       || E',\n    OUTPUT = ' || t.typoutput::regproc::text
       || CASE WHEN t.typreceive <> 0 THEN E',\n    RECEIVE = ' || t.typreceive::regproc::text ELSE '' END
       || CASE WHEN t.typsend <> 0 THEN E',\n    SEND = ' || t.typsend::regproc::text ELSE '' END
       || CASE WHEN t.typmodin <> 0 THEN E',\n    TYPMOD_IN = ' || t.typmodin::regproc::text ELSE '' END
       || CASE WHEN t.typmodout <> 0 THEN E',\n    TYPMOD_OUT = ' || t.typmodout::regproc::text ELSE '' END
       || CASE WHEN t.typanalyze <> 0 THEN E',\n    ANALYZE = ' || t.typanalyze::regproc::text ELSE '' END
       || CASE WHEN t.typsubscript <> 0 THEN E',\n    SUBSCRIPT = ' || t.typsubscript::regproc::text ELSE '' END -- pg>=140000
       || E',\n    INTERNALLENGTH = ' || CASE WHEN t.typlen < 0 THEN 'VARIABLE' ELSE t.typlen::text END
       || CASE WHEN t.typbyval THEN E',\n    PASSEDBYVALUE' ELSE '' END
       || E',\n    ALIGNMENT = ' || CASE t.typalign WHEN 'c' THEN 'char' WHEN 's' THEN 'int2'
                                                  WHEN 'i' THEN 'int4' ELSE 'double' END
       || E',\n    STORAGE = ' || CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                                                    WHEN 'm' THEN 'main' ELSE 'extended' END
       || E',\n    CATEGORY = ' || quote_literal(t.typcategory::text)
       || CASE WHEN t.typispreferred THEN E',\n    PREFERRED = true' ELSE '' END
       || COALESCE(E',\n    DEFAULT = ' || quote_literal(t.typdefault), '')
       || CASE WHEN t.typelem <> 0 THEN E',\n    ELEMENT = ' || format_type(t.typelem, NULL) ELSE '' END
       || CASE WHEN t.typdelim <> ',' THEN E',\n    DELIMITER = ' || quote_literal(t.typdelim::text) ELSE '' END
       || CASE WHEN t.typcollation <> 0 THEN E',\n    COLLATABLE = true' ELSE '' END
       || E'\n);'
       || COALESCE(E'\nCOMMENT ON TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
                   || ' IS ' || quote_literal(obj_description(t.oid, 'pg_type')) || ';', ''),
       -- CASCADE takes its support functions, which depend on it (a plan drops what uses it
       -- first).
       'DROP TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' CASCADE;',
       NULL, NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'b' AND n.nspname = ANY($1)
  AND NOT (t.typlen = -1 AND t.typelem <> 0 AND t.typcategory = 'A')
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
-- Composite types (CREATE TYPE ... AS (...)) and range types, which columns and function
-- signatures may use: after the enums and domains they may hold, before the functions, unless
-- they hold what only comes later (a collation of a user schema, a table's row type).
SELECT CASE WHEN late.late THEN 'before_tables' ELSE 'after_domains' END,
       CASE WHEN late.late THEN 2 ELSE 1 END, 'type', n.nspname || '.' || t.typname,
       'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' AS ('
       || COALESCE((SELECT string_agg(E'\n    ' || quote_ident(a.attname) || ' '
                                      || format_type(a.atttypid, a.atttypmod)
                                      || CASE WHEN a.attcollation <> at.typcollation
                                              THEN ' COLLATE ' || quote_ident(cn.nspname) || '.'
                                                   || quote_ident(co.collname)
                                              ELSE '' END,
                                      ',' ORDER BY a.attnum)
                    FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                    LEFT JOIN pg_collation co ON co.oid = a.attcollation
                    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                    WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '')
       || E'\n);'
       || COALESCE(E'\nCOMMENT ON TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
                   || ' IS ' || quote_literal(obj_description(t.oid, 'pg_type')) || ';', ''),
       'DROP TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ';',
       NULL, NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid
CROSS JOIN LATERAL (
    SELECT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                   LEFT JOIN pg_class ac ON ac.oid = at.typrelid
                   LEFT JOIN pg_collation co ON co.oid = a.attcollation
                   LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                     AND (ac.relkind <> 'c' OR cn.nspname = ANY($1))) AS late
) late
WHERE t.typtype = 'c' AND c.relkind = 'c' AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
-- A range type whose canonical or difference function is a user's comes after the functions.
SELECT CASE WHEN late.late THEN 'before_tables' ELSE 'after_domains' END,
       CASE WHEN late.late THEN 2 ELSE 0 END, 'type', n.nspname || '.' || t.typname,
       'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
       || ' AS RANGE (subtype = ' || format_type(r.rngsubtype, NULL)
       || CASE WHEN NOT opc.opcdefault
               THEN ', subtype_opclass = ' || quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname)
               ELSE '' END
       || CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
               THEN ', collation = ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
               ELSE '' END
       || CASE WHEN r.rngcanonical <> 0 THEN ', canonical = ' || r.rngcanonical::regproc::text ELSE '' END
       || CASE WHEN r.rngsubdiff <> 0 THEN ', subtype_diff = ' || r.rngsubdiff::regproc::text ELSE '' END
       || ', multirange_type_name = ' || format_type(r.rngmultitypid, NULL) -- pg>=140000
       || ');'
       || COALESCE(E'\nCOMMENT ON TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
                   || ' IS ' || quote_literal(obj_description(t.oid, 'pg_type')) || ';', ''),
       'DROP TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ';',
       NULL, NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_range r ON r.rngtypid = t.oid
JOIN pg_type st ON st.oid = r.rngsubtype
JOIN pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_collation co ON co.oid = r.rngcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
CROSS JOIN LATERAL (
    SELECT COALESCE(cn.nspname = ANY($1), false)
           OR EXISTS (SELECT 1 FROM pg_proc pp JOIN pg_namespace pn ON pn.oid = pp.pronamespace
                      WHERE pp.oid IN (r.rngcanonical, r.rngsubdiff) AND pn.nspname = ANY($1)) AS late
) late
WHERE t.typtype = 'r' AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
-- Text search dictionaries, then configurations (parser and mappings), which generated
-- columns and index expressions may name.
SELECT 'before_tables', 3, 'text search dictionary', n.nspname || '.' || d.dictname,
       'CREATE TEXT SEARCH DICTIONARY ' || quote_ident(n.nspname) || '.' || quote_ident(d.dictname)
       || ' (TEMPLATE = ' || quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname)
       || COALESCE(', ' || d.dictinitoption, '') || ');'
       || COALESCE(E'\nCOMMENT ON TEXT SEARCH DICTIONARY ' || quote_ident(n.nspname) || '.'
                   || quote_ident(d.dictname) || ' IS '
                   || quote_literal(obj_description(d.oid, 'pg_ts_dict')) || ';', ''),
       'DROP TEXT SEARCH DICTIONARY ' || quote_ident(n.nspname) || '.' || quote_ident(d.dictname) || ';',
       NULL, NULL
FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_dict'::regclass AND ext.objid = d.oid)
UNION ALL
SELECT 'before_tables', 4, 'text search configuration', n.nspname || '.' || c.cfgname,
       'CREATE TEXT SEARCH CONFIGURATION ' || quote_ident(n.nspname) || '.' || quote_ident(c.cfgname)
       || ' (PARSER = ' || quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) || ');'
       || COALESCE((SELECT string_agg(E'\nALTER TEXT SEARCH CONFIGURATION ' || quote_ident(n.nspname)
                                      || '.' || quote_ident(c.cfgname) || ' ADD MAPPING FOR '
                                      || tt.alias || ' WITH ' || mm.dicts || ';', '' ORDER BY mm.maptokentype)
                    FROM (SELECT m.maptokentype,
                                 string_agg(quote_ident(dn.nspname) || '.' || quote_ident(md.dictname),
                                            ', ' ORDER BY m.mapseqno) AS dicts
                          FROM pg_ts_config_map m JOIN pg_ts_dict md ON md.oid = m.mapdict
                          JOIN pg_namespace dn ON dn.oid = md.dictnamespace
                          WHERE m.mapcfg = c.oid GROUP BY m.maptokentype) mm
                    JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = mm.maptokentype), '')
       || COALESCE(E'\nCOMMENT ON TEXT SEARCH CONFIGURATION ' || quote_ident(n.nspname) || '.'
                   || quote_ident(c.cfgname) || ' IS '
                   || quote_literal(obj_description(c.oid, 'pg_ts_config')) || ';', ''),
       'DROP TEXT SEARCH CONFIGURATION ' || quote_ident(n.nspname) || '.' || quote_ident(c.cfgname) || ';',
       NULL, NULL
FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_namespace pn ON pn.oid = p.prsnamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_config'::regclass AND ext.objid = c.oid)
UNION ALL
-- Operators (after the functions they call) and casts, which expressions may use.
SELECT 'before_tables', 5, 'operator',
       n.nspname || '.' || o.oprname || '('
       || CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) ELSE 'NONE' END || ', '
       || format_type(o.oprright, NULL) || ')',
       'CREATE OPERATOR ' || quote_ident(n.nspname) || '.' || o.oprname || ' ('
       || 'FUNCTION = ' || o.oprcode::regproc::text
       || CASE WHEN o.oprleft <> 0 THEN ', LEFTARG = ' || format_type(o.oprleft, NULL) ELSE '' END
       || CASE WHEN o.oprright <> 0 THEN ', RIGHTARG = ' || format_type(o.oprright, NULL) ELSE '' END
       || CASE WHEN o.oprcom <> 0 THEN ', COMMUTATOR = OPERATOR(' || quote_ident(cn.nspname) || '.' || co.oprname || ')' ELSE '' END
       || CASE WHEN o.oprnegate <> 0 THEN ', NEGATOR = OPERATOR(' || quote_ident(ngn.nspname) || '.' || ng.oprname || ')' ELSE '' END
       || CASE WHEN o.oprrest <> 0 THEN ', RESTRICT = ' || o.oprrest::regproc::text ELSE '' END
       || CASE WHEN o.oprjoin <> 0 THEN ', JOIN = ' || o.oprjoin::regproc::text ELSE '' END
       || CASE WHEN o.oprcanhash THEN ', HASHES' ELSE '' END
       || CASE WHEN o.oprcanmerge THEN ', MERGES' ELSE '' END
       || ');'
       || COALESCE(E'\nCOMMENT ON OPERATOR ' || quote_ident(n.nspname) || '.' || o.oprname || ' ('
                   || CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) ELSE 'NONE' END || ', '
                   || CASE WHEN o.oprright <> 0 THEN format_type(o.oprright, NULL) ELSE 'NONE' END
                   || ') IS ' || quote_literal(obj_description(o.oid, 'pg_operator')) || ';', ''),
       'DROP OPERATOR ' || quote_ident(n.nspname) || '.' || o.oprname || ' ('
       || CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) ELSE 'NONE' END || ', '
       || CASE WHEN o.oprright <> 0 THEN format_type(o.oprright, NULL) ELSE 'NONE' END || ');',
       NULL, NULL
FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN pg_operator co ON co.oid = o.oprcom LEFT JOIN pg_namespace cn ON cn.oid = co.oprnamespace
LEFT JOIN pg_operator ng ON ng.oid = o.oprnegate LEFT JOIN pg_namespace ngn ON ngn.oid = ng.oprnamespace
WHERE n.nspname = ANY($1) AND o.oprcode <> 0
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_operator'::regclass AND ext.objid = o.oid)
UNION ALL
-- Casts made by a user (not by a range type, whose multirange casts come with it).
SELECT 'before_tables', 6, 'cast',
       '(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')',
       'CREATE CAST (' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ') '
       || CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::regprocedure::text
                            WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END
       || CASE c.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN ' AS IMPLICIT' ELSE '' END
       || ';'
       || COALESCE(E'\nCOMMENT ON CAST (' || format_type(c.castsource, NULL) || ' AS '
                   || format_type(c.casttarget, NULL) || ') IS '
                   || quote_literal(obj_description(c.oid, 'pg_cast')) || ';', ''),
       'DROP CAST (' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ');',
       NULL, NULL
FROM pg_cast c
WHERE c.oid >= 16384
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_cast'::regclass
                  AND d.objid = c.oid AND d.deptype = 'i')
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_cast'::regclass AND ext.objid = c.oid)
UNION ALL
-- Access methods not made by an extension (not in a schema), which operator families and
-- tables name.
SELECT 'before_tables', 5, 'access method', a.amname::text,
       'CREATE ACCESS METHOD ' || quote_ident(a.amname) || ' TYPE '
       || CASE a.amtype WHEN 'i' THEN 'INDEX' ELSE 'TABLE' END
       || ' HANDLER ' || a.amhandler::regproc::text || ';'
       || COALESCE(E'\nCOMMENT ON ACCESS METHOD ' || quote_ident(a.amname) || ' IS '
                   || quote_literal(obj_description(a.oid, 'pg_am')) || ';', ''),
       'DROP ACCESS METHOD ' || quote_ident(a.amname) || ';',
       NULL, NULL
FROM pg_am a
WHERE a.oid >= 16384
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_am'::regclass AND ext.objid = a.oid)
UNION ALL
-- Operator families (after the operators and functions they hold), with the members added to
-- the family itself rather than by one of its classes ("loose" ones).
SELECT 'before_tables', 7, 'operator family', n.nspname || '.' || f.opfname,
       'CREATE OPERATOR FAMILY ' || quote_ident(n.nspname) || '.' || quote_ident(f.opfname)
       || ' USING ' || quote_ident(am.amname) || ';'
       || COALESCE(E'\nALTER OPERATOR FAMILY ' || quote_ident(n.nspname) || '.' || quote_ident(f.opfname)
                   || ' USING ' || quote_ident(am.amname) || ' ADD'
                   || (SELECT string_agg(m.member, ',' ORDER BY m.ord, m.num, m.member)
                       FROM (SELECT 1 AS ord, ao.amopstrategy AS num,
                                    E'\n    OPERATOR ' || ao.amopstrategy || ' '
                                    || ao.amopopr::regoperator::text
                                    || CASE WHEN ao.amoppurpose = 's' THEN ''
                                            ELSE ' FOR ORDER BY ' || quote_ident(sn.nspname) || '.'
                                                 || quote_ident(sf.opfname) END AS member
                             FROM pg_amop ao
                             JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = ao.oid
                                             AND d.refclassid = 'pg_opfamily'::regclass
                                             AND d.refobjid = f.oid
                             LEFT JOIN pg_opfamily sf ON sf.oid = ao.amopsortfamily
                             LEFT JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
                             WHERE ao.amopfamily = f.oid
                             UNION ALL
                             SELECT 2, ap.amprocnum,
                                    E'\n    FUNCTION ' || ap.amprocnum || ' ('
                                    || format_type(ap.amproclefttype, NULL) || ', '
                                    || format_type(ap.amprocrighttype, NULL) || ') '
                                    || ap.amproc::regprocedure::text
                             FROM pg_amproc ap
                             JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = ap.oid
                                             AND d.refclassid = 'pg_opfamily'::regclass
                                             AND d.refobjid = f.oid
                             WHERE ap.amprocfamily = f.oid) m) || ';', '')
       || COALESCE(E'\nCOMMENT ON OPERATOR FAMILY ' || quote_ident(n.nspname) || '.'
                   || quote_ident(f.opfname) || ' USING ' || quote_ident(am.amname) || ' IS '
                   || quote_literal(obj_description(f.oid, 'pg_opfamily')) || ';', ''),
       'DROP OPERATOR FAMILY ' || quote_ident(n.nspname) || '.' || quote_ident(f.opfname)
       || ' USING ' || quote_ident(am.amname) || ';',
       NULL, NULL
FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace
JOIN pg_am am ON am.oid = f.opfmethod
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_opfamily'::regclass AND ext.objid = f.oid)
UNION ALL
-- Operator classes, in their family, with their own members; indexes name them.
SELECT 'before_tables', 8, 'operator class', n.nspname || '.' || c.opcname,
       'CREATE OPERATOR CLASS ' || quote_ident(n.nspname) || '.' || quote_ident(c.opcname)
       || CASE WHEN c.opcdefault THEN ' DEFAULT' ELSE '' END
       || ' FOR TYPE ' || format_type(c.opcintype, NULL) || ' USING ' || quote_ident(am.amname)
       || ' FAMILY ' || quote_ident(fn.nspname) || '.' || quote_ident(f.opfname) || ' AS'
       || COALESCE((SELECT string_agg(m.member, ',' ORDER BY m.ord, m.num, m.member)
                    FROM (SELECT 1 AS ord, ao.amopstrategy AS num,
                                 E'\n    OPERATOR ' || ao.amopstrategy || ' '
                                 || ao.amopopr::regoperator::text
                                 || CASE WHEN ao.amoppurpose = 's' THEN ''
                                         ELSE ' FOR ORDER BY ' || quote_ident(sn.nspname) || '.'
                                              || quote_ident(sf.opfname) END AS member
                          FROM pg_amop ao
                          JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = ao.oid
                                          AND d.refclassid = 'pg_opclass'::regclass
                                          AND d.refobjid = c.oid
                          LEFT JOIN pg_opfamily sf ON sf.oid = ao.amopsortfamily
                          LEFT JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
                          UNION ALL
                          SELECT 2, ap.amprocnum,
                                 E'\n    FUNCTION ' || ap.amprocnum || ' ('
                                 || format_type(ap.amproclefttype, NULL) || ', '
                                 || format_type(ap.amprocrighttype, NULL) || ') '
                                 || ap.amproc::regprocedure::text
                          FROM pg_amproc ap
                          JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = ap.oid
                                          AND d.refclassid = 'pg_opclass'::regclass
                                          AND d.refobjid = c.oid
                          UNION ALL
                          SELECT 3, 0, E'\n    STORAGE ' || format_type(c.opckeytype, NULL)
                          WHERE c.opckeytype <> 0) m), '')
       || ';'
       || COALESCE(E'\nCOMMENT ON OPERATOR CLASS ' || quote_ident(n.nspname) || '.'
                   || quote_ident(c.opcname) || ' USING ' || quote_ident(am.amname) || ' IS '
                   || quote_literal(obj_description(c.oid, 'pg_opclass')) || ';', ''),
       'DROP OPERATOR CLASS ' || quote_ident(n.nspname) || '.' || quote_ident(c.opcname)
       || ' USING ' || quote_ident(am.amname) || ';',
       NULL, NULL
FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_am am ON am.oid = c.opcmethod
JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn ON fn.oid = f.opfnamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_opclass'::regclass AND ext.objid = c.oid)
UNION ALL
-- Conversions (their functions are C functions of the server or of a script run first).
SELECT 'before_tables', 6, 'conversion', n.nspname || '.' || c.conname,
       'CREATE ' || CASE WHEN c.condefault THEN 'DEFAULT ' ELSE '' END || 'CONVERSION '
       || quote_ident(n.nspname) || '.' || quote_ident(c.conname)
       || ' FOR ' || quote_literal(pg_encoding_to_char(c.conforencoding))
       || ' TO ' || quote_literal(pg_encoding_to_char(c.contoencoding))
       || ' FROM ' || c.conproc::regproc::text || ';'
       || COALESCE(E'\nCOMMENT ON CONVERSION ' || quote_ident(n.nspname) || '.' || quote_ident(c.conname)
                   || ' IS ' || quote_literal(obj_description(c.oid, 'pg_conversion')) || ';', ''),
       'DROP CONVERSION ' || quote_ident(n.nspname) || '.' || quote_ident(c.conname) || ';',
       NULL, NULL
FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_conversion'::regclass AND ext.objid = c.oid)
UNION ALL
-- Aggregates the model does not break down: ordered-set and hypothetical ones, and those with
-- a moving-aggregate mode, a sort operator, serialisation functions, a state size, a final
-- function's extra arguments or modify mode, or a PARALLEL marking (the condition is
-- functions.sql's `agg_extra`).
SELECT 'before_tables', 9, 'aggregate',
       n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       'CREATE AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
       || COALESCE(NULLIF(pg_get_function_arguments(p.oid), ''), '*') || ') ('
       || E'\n    SFUNC = ' || a.aggtransfn::regproc::text
       || E',\n    STYPE = ' || format_type(a.aggtranstype, NULL)
       || CASE WHEN a.aggtransspace <> 0 THEN E',\n    SSPACE = ' || a.aggtransspace ELSE '' END
       || CASE WHEN a.aggfinalfn <> 0
               THEN E',\n    FINALFUNC = ' || a.aggfinalfn::regproc::text
                    || CASE WHEN a.aggfinalextra THEN E',\n    FINALFUNC_EXTRA' ELSE '' END
                    || E',\n    FINALFUNC_MODIFY = '
                    || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE'
                                             ELSE 'READ_WRITE' END
               ELSE '' END
       || CASE WHEN a.aggcombinefn <> 0 THEN E',\n    COMBINEFUNC = ' || a.aggcombinefn::regproc::text ELSE '' END
       || CASE WHEN a.aggserialfn <> 0 THEN E',\n    SERIALFUNC = ' || a.aggserialfn::regproc::text ELSE '' END
       || CASE WHEN a.aggdeserialfn <> 0 THEN E',\n    DESERIALFUNC = ' || a.aggdeserialfn::regproc::text ELSE '' END
       || COALESCE(E',\n    INITCOND = ' || quote_literal(a.agginitval), '')
       || CASE WHEN a.aggmtransfn <> 0
               THEN E',\n    MSFUNC = ' || a.aggmtransfn::regproc::text
                    || E',\n    MINVFUNC = ' || a.aggminvtransfn::regproc::text
                    || E',\n    MSTYPE = ' || format_type(a.aggmtranstype, NULL)
                    || CASE WHEN a.aggmtransspace <> 0 THEN E',\n    MSSPACE = ' || a.aggmtransspace ELSE '' END
                    || CASE WHEN a.aggmfinalfn <> 0
                            THEN E',\n    MFINALFUNC = ' || a.aggmfinalfn::regproc::text
                                 || CASE WHEN a.aggmfinalextra THEN E',\n    MFINALFUNC_EXTRA' ELSE '' END
                                 || E',\n    MFINALFUNC_MODIFY = '
                                 || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE'
                                                           ELSE 'READ_WRITE' END
                            ELSE '' END
                    || COALESCE(E',\n    MINITCOND = ' || quote_literal(a.aggminitval), '')
               ELSE '' END
       || CASE WHEN a.aggsortop <> 0
               THEN E',\n    SORTOP = OPERATOR(' || quote_ident(son.nspname) || '.' || so.oprname || ')'
               ELSE '' END
       || CASE p.proparallel WHEN 's' THEN E',\n    PARALLEL = SAFE'
                             WHEN 'r' THEN E',\n    PARALLEL = RESTRICTED' ELSE '' END
       || CASE WHEN a.aggkind = 'h' THEN E',\n    HYPOTHETICAL' ELSE '' END
       || E'\n);'
       || COALESCE(E'\nCOMMENT ON AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
                   || '(' || COALESCE(NULLIF(pg_get_function_identity_arguments(p.oid), ''), '*')
                   || ') IS ' || quote_literal(obj_description(p.oid, 'pg_proc')) || ';', ''),
       'DROP AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
       || COALESCE(NULLIF(pg_get_function_identity_arguments(p.oid), ''), '*') || ');',
       NULL, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_operator so ON so.oid = a.aggsortop
LEFT JOIN pg_namespace son ON son.oid = so.oprnamespace
WHERE n.nspname = ANY($1)
  AND (a.aggkind <> 'n' OR a.aggfinalextra OR a.aggmtransfn <> 0 OR a.aggsortop <> 0
       OR a.aggserialfn <> 0 OR a.aggdeserialfn <> 0 OR a.aggtransspace <> 0
       OR a.aggfinalmodify <> 'r' OR p.proparallel <> 'u')
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
-- A table's or materialized view's access method other than heap (PostgreSQL 15+: SET ACCESS
-- METHOD), set after the tables (an empty table is rewritten at no cost).
SELECT 'last', 1, 'table access method', n.nspname || '.' || c.relname,
       'ALTER ' || CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END || ' '
       || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
       || ' SET ACCESS METHOD ' || quote_ident(am.amname) || ';',
       'ALTER ' || CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END || ' '
       || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' SET ACCESS METHOD heap;',
       n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r', 'm', 'p') AND am.amname <> 'heap' AND n.nspname = ANY($1)
  AND current_setting('server_version_num')::int >= 150000
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
-- Foreign data wrappers not made by an extension, then foreign servers (user mappings hold
-- credentials and are never read).
SELECT 'before_tables', 0, 'foreign data wrapper', w.fdwname::text,
       'CREATE FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname)
       || CASE WHEN w.fdwhandler <> 0 THEN ' HANDLER ' || w.fdwhandler::regproc::text ELSE '' END
       || CASE WHEN w.fdwvalidator <> 0 THEN ' VALIDATOR ' || w.fdwvalidator::regproc::text ELSE '' END
       || COALESCE(' OPTIONS (' || (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' '
                                                      || quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
                                   FROM unnest(w.fdwoptions) o) || ')', '')
       || ';',
       'DROP FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname) || ';',
       NULL, NULL
FROM pg_foreign_data_wrapper w
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_foreign_data_wrapper'::regclass AND ext.objid = w.oid)
UNION ALL
SELECT 'before_tables', 0, 'server', s.srvname::text,
       'CREATE SERVER ' || quote_ident(s.srvname)
       || COALESCE(' TYPE ' || quote_literal(s.srvtype), '')
       || COALESCE(' VERSION ' || quote_literal(s.srvversion), '')
       || ' FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname)
       || COALESCE(' OPTIONS (' || (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' '
                                                      || quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
                                   FROM unnest(s.srvoptions) o) || ')', '')
       || ';'
       || COALESCE(E'\nCOMMENT ON SERVER ' || quote_ident(s.srvname) || ' IS '
                   || quote_literal(obj_description(s.oid, 'pg_foreign_server')) || ';', ''),
       'DROP SERVER ' || quote_ident(s.srvname) || ';',
       NULL, NULL
FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_foreign_server'::regclass AND ext.objid = s.oid)
UNION ALL
-- Foreign tables: columns (type, options, collation, NOT NULL, default), server, options,
-- checks, comments.
SELECT 'after_tables', 1, 'foreign table', n.nspname || '.' || c.relname,
       'CREATE FOREIGN TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ('
       || COALESCE((SELECT string_agg(E'\n    ' || quote_ident(a.attname) || ' '
                                      || format_type(a.atttypid, a.atttypmod)
                                      || COALESCE(' OPTIONS (' || (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' '
                                                                                     || quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
                                                                  FROM unnest(a.attfdwoptions) o) || ')', '')
                                      || CASE WHEN a.attcollation <> t.typcollation
                                              THEN ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                              ELSE '' END
                                      || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                                      || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''),
                                      ',' ORDER BY a.attnum)
                    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                    LEFT JOIN pg_collation co ON co.oid = a.attcollation
                    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
       || E'\n) SERVER ' || quote_ident(s.srvname)
       || COALESCE(E'\nOPTIONS (' || (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' '
                                                        || quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
                                     FROM unnest(ft.ftoptions) o) || ')', '')
       || ';'
       || COALESCE((SELECT string_agg(E'\nALTER FOREIGN TABLE ' || quote_ident(n.nspname) || '.'
                                      || quote_ident(c.relname) || ' ADD CONSTRAINT '
                                      || quote_ident(con.conname) || ' '
                                      || pg_get_constraintdef(con.oid) || ';', '' ORDER BY con.conname)
                    FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype = 'c'), '')
       || COALESCE(E'\nCOMMENT ON FOREIGN TABLE ' || quote_ident(n.nspname) || '.'
                   || quote_ident(c.relname) || ' IS '
                   || quote_literal(obj_description(c.oid, 'pg_class')) || ';', '')
       || COALESCE((SELECT string_agg(E'\nCOMMENT ON COLUMN ' || quote_ident(n.nspname) || '.'
                                      || quote_ident(c.relname) || '.' || quote_ident(a.attname)
                                      || ' IS ' || quote_literal(col_description(c.oid, a.attnum)) || ';',
                                      '' ORDER BY a.attnum)
                    FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                      AND col_description(c.oid, a.attnum) IS NOT NULL), ''),
       'DROP FOREIGN TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ';',
       NULL, NULL
FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_foreign_server s ON s.oid = ft.ftserver
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
-- Routines the model does not break down: procedures, SQL-standard bodies (BEGIN ATOMIC, which
-- name tables, so they come last), C and internal functions, window functions. A C function
-- goes before the functions written in SQL, which may take what it returns, unless its
-- signature names a table's row type.
SELECT
       CASE WHEN p.prokind = 'p' OR p.prosqlbody IS NOT NULL THEN 'last' -- pg>=140000
       CASE WHEN p.prokind = 'p' THEN 'last' -- pg<140000
            WHEN EXISTS (SELECT 1 FROM pg_type st JOIN pg_class sc ON sc.oid = st.typrelid
                         WHERE sc.relkind <> 'c'
                           AND st.oid = ANY (p.proargtypes::oid[] || COALESCE(p.proallargtypes, '{}')
                                             || p.prorettype))
                 THEN 'before_tables'
            ELSE 'after_domains' END, 2,
       CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
       n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       rtrim(pg_get_functiondef(p.oid), E'\n') || ';'
       || COALESCE(E'\nCOMMENT ON ' || CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END
                   || ' ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
                   || pg_get_function_identity_arguments(p.oid) || ') IS '
                   || quote_literal(obj_description(p.oid, 'pg_proc')) || ';', ''),
       'DROP ' || CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END || ' '
       || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
       || pg_get_function_identity_arguments(p.oid) || ');',
       NULL, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY($1)
  AND p.prokind <> 'a'
  -- made with another object (a range type's constructors), not by a user
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'i')
  -- the support functions of a language or base type come with it (above)
  AND NOT EXISTS (SELECT 1 FROM pg_language ul
                  WHERE ul.oid >= 16384 AND ul.lanispl
                    AND p.oid IN (ul.lanplcallfoid, ul.laninline, ul.lanvalidator)
                    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_language'::regclass
                                    AND ext.objid = ul.oid))
  AND NOT EXISTS (SELECT 1 FROM pg_type bt JOIN pg_namespace btn ON btn.oid = bt.typnamespace
                  WHERE bt.typtype = 'b' AND btn.nspname = ANY($1)
                    AND p.oid IN (bt.typinput, bt.typoutput, bt.typreceive, bt.typsend,
                                  bt.typmodin, bt.typmodout, bt.typanalyze
                                  , bt.typsubscript -- pg>=140000
                                  )
                    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass
                                    AND ext.objid = bt.oid))
  AND (p.prokind IN ('p', 'w') OR l.lanname IN ('c', 'internal')
       OR p.prosqlbody IS NOT NULL -- pg>=140000
      )
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
-- Extended statistics objects, with their statistics target.
SELECT 'last', 3, 'statistics', n.nspname || '.' || s.stxname,
       pg_get_statisticsobjdef(s.oid) || ';'
       || CASE WHEN COALESCE(s.stxstattarget::int4, -1) >= 0
               THEN E'\nALTER STATISTICS ' || quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
                    || ' SET STATISTICS ' || s.stxstattarget::int4 || ';'
               ELSE '' END
       || COALESCE(E'\nCOMMENT ON STATISTICS ' || quote_ident(n.nspname) || '.'
                   || quote_ident(s.stxname) || ' IS '
                   || quote_literal(obj_description(s.oid, 'pg_statistic_ext')) || ';', ''),
       'DROP STATISTICS ' || quote_ident(n.nspname) || '.' || quote_ident(s.stxname) || ';',
       tn.nspname, t.relname
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_class t ON t.oid = s.stxrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_statistic_ext'::regclass AND ext.objid = s.oid)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = t.oid)
UNION ALL
-- Rules (a view's own _RETURN rule is its definition).
SELECT 'last', 4, 'rule', n.nspname || '.' || c.relname || '.' || r.rulename,
       pg_get_ruledef(r.oid)
       || CASE r.ev_enabled WHEN 'D' THEN E'\nALTER TABLE ' || quote_ident(n.nspname) || '.'
                                         || quote_ident(c.relname) || ' DISABLE RULE '
                                         || quote_ident(r.rulename) || ';'
                            WHEN 'R' THEN E'\nALTER TABLE ' || quote_ident(n.nspname) || '.'
                                         || quote_ident(c.relname) || ' ENABLE REPLICA RULE '
                                         || quote_ident(r.rulename) || ';'
                            WHEN 'A' THEN E'\nALTER TABLE ' || quote_ident(n.nspname) || '.'
                                         || quote_ident(c.relname) || ' ENABLE ALWAYS RULE '
                                         || quote_ident(r.rulename) || ';'
                            ELSE '' END
       || COALESCE(E'\nCOMMENT ON RULE ' || quote_ident(r.rulename) || ' ON '
                   || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' IS '
                   || quote_literal(obj_description(r.oid, 'pg_rewrite')) || ';', ''),
       'DROP RULE ' || quote_ident(r.rulename) || ' ON ' || quote_ident(n.nspname) || '.'
       || quote_ident(c.relname) || ';',
       n.nspname, c.relname
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_rewrite'::regclass AND ext.objid = r.oid)
UNION ALL
-- Triggers the model does not break down: on views (INSTEAD OF) and foreign tables, constraint
-- triggers, and
-- triggers with transition tables.
SELECT 'last', 5, 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname,
       pg_get_triggerdef(t.oid) || ';'
       || CASE t.tgenabled WHEN 'D' THEN E'\nALTER TABLE ' || quote_ident(n.nspname) || '.'
                                        || quote_ident(c.relname) || ' DISABLE TRIGGER '
                                        || quote_ident(t.tgname) || ';'
                           WHEN 'R' THEN E'\nALTER TABLE ' || quote_ident(n.nspname) || '.'
                                        || quote_ident(c.relname) || ' ENABLE REPLICA TRIGGER '
                                        || quote_ident(t.tgname) || ';'
                           WHEN 'A' THEN E'\nALTER TABLE ' || quote_ident(n.nspname) || '.'
                                        || quote_ident(c.relname) || ' ENABLE ALWAYS TRIGGER '
                                        || quote_ident(t.tgname) || ';'
                           ELSE '' END
       || COALESCE(E'\nCOMMENT ON TRIGGER ' || quote_ident(t.tgname) || ' ON '
                   || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' IS '
                   || quote_literal(obj_description(t.oid, 'pg_trigger')) || ';', ''),
       'DROP TRIGGER ' || quote_ident(t.tgname) || ' ON ' || quote_ident(n.nspname) || '.'
       || quote_ident(c.relname) || ';',
       n.nspname, c.relname
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND n.nspname = ANY($1)
  AND (c.relkind IN ('v', 'f') OR t.tgconstraint <> 0
       OR t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
-- Publications whose tables and schemas are all read (publish_via_partition_root: 13+).
SELECT 'last', 6, 'publication', p.pubname::text,
       'CREATE PUBLICATION ' || quote_ident(p.pubname)
       || CASE WHEN p.puballtables THEN ' FOR ALL TABLES'
               WHEN pub.targets IS NULL THEN ''
               ELSE ' FOR ' || pub.targets END
       || ' WITH (publish = '
       || quote_literal(concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END,
                                  CASE WHEN p.pubupdate THEN 'update' END,
                                  CASE WHEN p.pubdelete THEN 'delete' END,
                                  CASE WHEN p.pubtruncate THEN 'truncate' END))
       || ', publish_via_partition_root = ' || p.pubviaroot || ');'
       || COALESCE(E'\nCOMMENT ON PUBLICATION ' || quote_ident(p.pubname) || ' IS '
                   || quote_literal(obj_description(p.oid, 'pg_publication')) || ';', ''),
       'DROP PUBLICATION ' || quote_ident(p.pubname) || ';',
       NULL, NULL
FROM pg_publication p
CROSS JOIN LATERAL (
    SELECT NULLIF(concat_ws(', ',
        (SELECT 'TABLE ' || string_agg('ONLY ' || quote_ident(tn.nspname) || '.' || quote_ident(tc.relname)
                  || COALESCE(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) -- pg>=150000
                                       FROM unnest(pr.prattrs::int2[]) WITH ORDINALITY k(attnum, ord) -- pg>=150000
                                       JOIN pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = k.attnum) -- pg>=150000
                              || ')', '') -- pg>=150000
                  || COALESCE(' WHERE (' || pg_get_expr(pr.prqual, pr.prrelid) || ')', '') -- pg>=150000
                  , ', ' ORDER BY tn.nspname, tc.relname)
         FROM pg_publication_rel pr JOIN pg_class tc ON tc.oid = pr.prrelid
         JOIN pg_namespace tn ON tn.oid = tc.relnamespace
         WHERE pr.prpubid = p.oid),
        (SELECT 'TABLES IN SCHEMA ' || string_agg(quote_ident(sn.nspname), ', ' ORDER BY sn.nspname) -- pg>=150000
         FROM pg_publication_namespace pn JOIN pg_namespace sn ON sn.oid = pn.pnnspid -- pg>=150000
         WHERE pn.pnpubid = p.oid) -- pg>=150000
        NULL::text -- pg<150000
        ), '') AS targets
) pub
WHERE NOT EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_class tc ON tc.oid = pr.prrelid
                  JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                  WHERE pr.prpubid = p.oid AND tn.nspname <> ALL($1))
  AND NOT EXISTS (SELECT 1 FROM pg_publication_namespace pn JOIN pg_namespace sn ON sn.oid = pn.pnnspid -- pg>=150000
                  WHERE pn.pnpubid = p.oid AND sn.nspname <> ALL($1)) -- pg>=150000
UNION ALL
-- Event triggers (database-wide) on a function in a schema that is read.
SELECT 'last', 7, 'event trigger', e.evtname::text,
       'CREATE EVENT TRIGGER ' || quote_ident(e.evtname) || ' ON ' || quote_ident(e.evtevent)
       || CASE WHEN e.evttags IS NOT NULL
               THEN E'\n    WHEN TAG IN ('
                    || (SELECT string_agg(quote_literal(tag), ', ') FROM unnest(e.evttags) tag)
                    || ')'
               ELSE '' END
       || E'\n    EXECUTE FUNCTION ' || quote_ident(fn.nspname) || '.' || quote_ident(f.proname)
       || '();'
       || CASE e.evtenabled WHEN 'D' THEN E'\nALTER EVENT TRIGGER ' || quote_ident(e.evtname) || ' DISABLE;'
                            WHEN 'R' THEN E'\nALTER EVENT TRIGGER ' || quote_ident(e.evtname) || ' ENABLE REPLICA;'
                            WHEN 'A' THEN E'\nALTER EVENT TRIGGER ' || quote_ident(e.evtname) || ' ENABLE ALWAYS;'
                            ELSE '' END
       || COALESCE(E'\nCOMMENT ON EVENT TRIGGER ' || quote_ident(e.evtname) || ' IS '
                   || quote_literal(obj_description(e.oid, 'pg_event_trigger')) || ';', ''),
       'DROP EVENT TRIGGER ' || quote_ident(e.evtname) || ';',
       NULL, NULL
FROM pg_event_trigger e JOIN pg_proc f ON f.oid = e.evtfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE fn.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_event_trigger'::regclass AND ext.objid = e.oid)
ORDER BY 1, 2, 4

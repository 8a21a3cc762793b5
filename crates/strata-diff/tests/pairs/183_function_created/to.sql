CREATE TABLE t (id int PRIMARY KEY);
CREATE FUNCTION t_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM public.t $$;

CREATE TABLE t (id int PRIMARY KEY, a text);
CREATE FUNCTION ids() RETURNS TABLE (id int, a text) LANGUAGE sql STABLE AS $$ SELECT id, a FROM public.t $$;

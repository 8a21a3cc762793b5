CREATE FUNCTION f(x int, y int DEFAULT 0) RETURNS int LANGUAGE sql AS $$ SELECT x + y $$;

CREATE FUNCTION ci_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT lower($1) = lower($2)$$;
CREATE OPERATOR =~= (FUNCTION = ci_eq, LEFTARG = text, RIGHTARG = text, COMMUTATOR = OPERATOR(public.=~=));
CREATE TYPE grade AS ENUM ('low', 'high');
CREATE CAST (grade AS text) WITH INOUT AS ASSIGNMENT;
CREATE TABLE people (id int PRIMARY KEY, name text CONSTRAINT not_admin CHECK (NOT (name =~= 'admin')));

CREATE FUNCTION norm(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(x)) $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); NEW.name := norm(NEW.name); RETURN NEW; END $$;
CREATE TABLE t (id int PRIMARY KEY, name text, updated_at timestamptz);
CREATE INDEX t_norm_name_idx ON t (norm(name));
CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();

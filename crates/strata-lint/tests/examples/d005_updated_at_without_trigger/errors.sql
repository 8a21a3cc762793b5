CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TABLE tasks (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
-- An AFTER trigger cannot change the row.
CREATE TABLE notes (id bigint PRIMARY KEY, modified_at timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER notes_touch AFTER UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch();

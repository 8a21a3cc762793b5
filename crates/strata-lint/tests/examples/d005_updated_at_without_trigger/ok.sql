CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TABLE tasks (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER tasks_touch BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE notes (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());

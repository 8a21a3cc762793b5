CREATE TABLE users (id int PRIMARY KEY);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TABLE tasks (
    id int CONSTRAINT tasks_pkey PRIMARY KEY,
    user_id int NOT NULL CONSTRAINT tasks_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL CONSTRAINT tasks_title_check CHECK (char_length(title) <= 200),
    code text CONSTRAINT tasks_code_key UNIQUE,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_tasks_user_id ON tasks (user_id);
CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_owner ON tasks USING (user_id = 1);
INSERT INTO users VALUES (1);
INSERT INTO tasks (id, user_id, title, code) VALUES (1, 1, 'kept through the rename', 'a');

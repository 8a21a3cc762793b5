CREATE TABLE users (id int PRIMARY KEY);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TABLE todos (
    id int CONSTRAINT todos_pkey PRIMARY KEY,
    user_id int NOT NULL CONSTRAINT todos_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL CONSTRAINT todos_title_check CHECK (char_length(title) <= 200),
    code text CONSTRAINT todos_code_key UNIQUE,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_todos_user_id ON todos (user_id);
CREATE TRIGGER todos_set_updated_at BEFORE UPDATE ON todos FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE todos ENABLE ROW LEVEL SECURITY;
CREATE POLICY todos_owner ON todos USING (user_id = 1);

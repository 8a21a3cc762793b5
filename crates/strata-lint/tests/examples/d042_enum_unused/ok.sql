CREATE TYPE task_state AS ENUM ('todo', 'done');
CREATE TABLE tasks (id bigint PRIMARY KEY, state task_state NOT NULL);
CREATE TYPE mood AS ENUM ('ok', 'meh');
CREATE DOMAIN day_mood AS mood;
CREATE TYPE level AS ENUM ('low', 'high');
CREATE FUNCTION top_level() RETURNS level LANGUAGE sql AS $$ SELECT 'high'::level $$;

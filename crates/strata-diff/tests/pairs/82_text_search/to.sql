CREATE TEXT SEARCH DICTIONARY english_simple (TEMPLATE = pg_catalog.simple, stopwords = 'english');
CREATE TEXT SEARCH CONFIGURATION docs (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword WITH english_simple;
CREATE TABLE pages (id int PRIMARY KEY, body text NOT NULL);
CREATE INDEX pages_body_idx ON pages USING gin (to_tsvector('public.docs'::regconfig, body));
CREATE TABLE notes (id int PRIMARY KEY, body text,
    search tsvector GENERATED ALWAYS AS (to_tsvector('public.docs'::regconfig, coalesce(body, ''))) STORED);

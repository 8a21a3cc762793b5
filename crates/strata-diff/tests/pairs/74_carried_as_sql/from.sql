CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL, city text, zip text);
CREATE STATISTICS people_stats (ndistinct) ON city, zip FROM people;
CREATE RULE people_no_delete AS ON DELETE TO people DO INSTEAD NOTHING;
CREATE VIEW people_view AS SELECT id, email FROM people;
CREATE FUNCTION people_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO people (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$;
CREATE PROCEDURE purge(before int) LANGUAGE sql AS $$DELETE FROM people WHERE id < before$$;
CREATE FUNCTION people_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM people; END;

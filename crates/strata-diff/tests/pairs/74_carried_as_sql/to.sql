CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL, city text, zip text);
CREATE STATISTICS people_stats (dependencies) ON city, zip FROM people;
ALTER STATISTICS people_stats SET STATISTICS 200;
CREATE VIEW people_view AS SELECT id, email FROM people;
CREATE FUNCTION people_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO people (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$;
CREATE TRIGGER people_view_insert INSTEAD OF INSERT ON people_view
    FOR EACH ROW EXECUTE FUNCTION people_view_insert();
CREATE PROCEDURE purge(before int) LANGUAGE sql AS $$DELETE FROM people WHERE id <= before$$;
CREATE FUNCTION people_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM people WHERE city IS NOT NULL; END;
CREATE PUBLICATION people_pub FOR TABLE people WITH (publish = 'insert');
CREATE FUNCTION check_people() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE CONSTRAINT TRIGGER people_check AFTER INSERT ON people
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_people();

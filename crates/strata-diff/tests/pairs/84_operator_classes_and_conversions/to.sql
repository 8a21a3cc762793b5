CREATE FUNCTION rev_cmp(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$SELECT bttextcmp($2, $1)$$;
CREATE FUNCTION int_text_cmp(integer, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$SELECT bttextcmp($1::text, $2)$$;
CREATE OPERATOR CLASS rev_text_ops FOR TYPE text USING btree AS
    OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <,
    FUNCTION 1 rev_cmp(text, text), FUNCTION 4 btequalimage(oid);
CREATE OPERATOR FAMILY mixed_ops USING btree;
ALTER OPERATOR FAMILY mixed_ops USING btree ADD FUNCTION 1 (integer, text) int_text_cmp(integer, text);
CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;
CREATE CONVERSION latin1_to_utf8 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE TABLE words (id int PRIMARY KEY, word text NOT NULL);
CREATE INDEX words_word_rev ON words (word rev_text_ops);

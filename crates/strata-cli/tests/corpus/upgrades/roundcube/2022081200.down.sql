-- Roundcube before 2022081200: one response name per user (a unique index).
DROP INDEX responses_user_id_idx;
CREATE UNIQUE INDEX responses_user_id_idx ON responses (user_id, del);

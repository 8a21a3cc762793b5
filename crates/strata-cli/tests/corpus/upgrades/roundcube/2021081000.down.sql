-- Roundcube before 2021081000: responses lived in users.preferences; html_signature was an
-- integer.
DROP TABLE responses;
DROP SEQUENCE responses_seq;
ALTER TABLE identities ALTER html_signature TYPE integer;

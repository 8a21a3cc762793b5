CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2), flag "char");

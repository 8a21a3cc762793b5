CREATE TABLE t (
    id integer PRIMARY KEY, note text, code text, n integer DEFAULT 5,
    CONSTRAINT t_note_length CHECK (char_length(note) <= 10),
    CONSTRAINT t_code_values CHECK (code = ANY (ARRAY['a', 'b'])),
    CONSTRAINT t_code_not_blank CHECK (code IS NULL OR code <> ''),
    CONSTRAINT t_n_positive CHECK (n > 0)
);

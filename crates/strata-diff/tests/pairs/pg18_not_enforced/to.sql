CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (id int PRIMARY KEY, parent_id int, score int, other_id int,
  CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES parent (id) NOT ENFORCED,
  CONSTRAINT child_score_check CHECK (score > 0),
  CONSTRAINT child_id_check CHECK (id > 0) NOT ENFORCED,
  CONSTRAINT child_other_fkey FOREIGN KEY (other_id) REFERENCES parent (id) NOT ENFORCED);

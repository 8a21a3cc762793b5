CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (id int PRIMARY KEY, parent_id int, score int,
  CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES parent (id),
  CONSTRAINT child_score_check CHECK (score > 0) NOT ENFORCED,
  CONSTRAINT child_id_check CHECK (id > 0));
INSERT INTO parent VALUES (1);
INSERT INTO child VALUES (1, 1, 5);

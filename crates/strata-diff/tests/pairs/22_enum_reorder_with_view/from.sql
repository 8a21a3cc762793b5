CREATE TYPE level AS ENUM ('low', 'high', 'mid');
CREATE TABLE item (id int PRIMARY KEY, lvl level);
CREATE VIEW high_items AS SELECT id, lvl FROM item WHERE lvl = 'high';

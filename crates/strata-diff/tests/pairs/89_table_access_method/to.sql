CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;
CREATE TABLE archive (id integer PRIMARY KEY, body text) USING heap_copy;
CREATE TABLE live (id integer PRIMARY KEY);
CREATE TABLE cold (id integer PRIMARY KEY) USING heap_copy;

CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;
CREATE TABLE archive (id integer PRIMARY KEY, body text);
CREATE TABLE live (id integer PRIMARY KEY) USING heap_copy;

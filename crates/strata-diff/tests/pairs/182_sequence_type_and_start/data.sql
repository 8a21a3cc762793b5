SELECT nextval('s'), nextval('s');

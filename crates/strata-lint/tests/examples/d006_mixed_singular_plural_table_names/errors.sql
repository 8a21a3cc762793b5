CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY);
CREATE TABLE invoice (id bigint PRIMARY KEY);
CREATE TABLE projects (id bigint PRIMARY KEY);

CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY);
CREATE TABLE addresses (id bigint PRIMARY KEY);
CREATE TABLE people (id bigint PRIMARY KEY);
CREATE TABLE task_statuses (id bigint PRIMARY KEY);
CREATE TABLE audit_log (id bigint PRIMARY KEY);

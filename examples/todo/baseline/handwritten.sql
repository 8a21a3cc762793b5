-- The hand-written reference design of the Todo application: its tables and its indexes
-- exactly as that design specifies them (column types, defaults, constraint and index names),
-- kept as the baseline `strata verify` measures the designed schema against:
--
--   strata verify examples/todo --baseline examples/todo/baseline/handwritten.sql
--
-- Two additions, so that the example's access patterns run on it unchanged:
-- * tasks.deleted_at with its partial index, which the reference design gives as its plan for
--   soft deletes;
-- * tasks.due_date, which the reference design does not have (the reminder and home-screen
--   queries read it); no index is added for it.
-- Everything else the example declares (tags, task details, conversations, messages, the audit
-- log) has no counterpart here, and verify reports the patterns on those tables as not run on
-- this baseline.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE users (
    id VARCHAR(36) NOT NULL DEFAULT uuid_generate_v4(),
    email VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    name VARCHAR(100) NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

-- The reference design lists both the unique constraint above and this unique index.
CREATE UNIQUE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_created_at ON users (created_at DESC);

CREATE TABLE tasks (
    id SERIAL NOT NULL,
    user_id VARCHAR(36) NOT NULL,
    title VARCHAR(200) NOT NULL,
    description TEXT,
    completed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    -- Soft deletes, as the reference design plans them.
    deleted_at TIMESTAMP NULL,
    -- Not in the reference design: the example's workload reads it.
    due_date TIMESTAMP NULL,
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    CONSTRAINT fk_tasks_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_tasks_user_id ON tasks (user_id);
CREATE INDEX idx_tasks_user_completed ON tasks (user_id, completed);
CREATE INDEX idx_tasks_user_created ON tasks (user_id, created_at DESC);
CREATE INDEX idx_tasks_completed ON tasks (completed);
CREATE INDEX idx_tasks_deleted ON tasks (deleted_at) WHERE deleted_at IS NULL;

CREATE TABLE sessions (
    id VARCHAR(36) NOT NULL DEFAULT uuid_generate_v4(),
    user_id VARCHAR(36) NOT NULL,
    token_hash VARCHAR(255) NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT pk_sessions PRIMARY KEY (id),
    CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);

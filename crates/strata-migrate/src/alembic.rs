//! Alembic revisions (filled in below).

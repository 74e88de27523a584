-- Users known by an external identity, as in mysql/007_external_users.sql.
CREATE TABLE IF NOT EXISTS external_users (
  subject TEXT NOT NULL PRIMARY KEY CHECK (length(subject) <= 512),
  user_id INTEGER NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

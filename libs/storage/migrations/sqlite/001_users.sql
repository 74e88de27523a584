-- Accounts that log in through logic. AUTOINCREMENT: ids are never reused, even after a delete.
-- created_at: Unix time in milliseconds (UTC).
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE CHECK (length(name) <= 64),
  password_hash TEXT NOT NULL CHECK (length(password_hash) <= 255),
  created_at INTEGER NOT NULL
);

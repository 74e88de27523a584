-- Each user's token version, as in mysql/006_token_version.sql.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;

-- Each user's token version: tokens carry the version they were minted under, and logic refuses a
-- token whose version is not the user's current one. Logout and a password change raise it, so
-- every token issued before stops working at once.
ALTER TABLE users ADD COLUMN IF NOT EXISTS token_version INT UNSIGNED NOT NULL DEFAULT 0;

-- Chat messages with a gap-free sequence per conversation.
--
-- Conversation and client message ids are VARBINARY: compared byte for byte and without PAD SPACE
-- (with a _bin collation "a" and "a " would be the same client id), as in SQLite. 256 bytes hold
-- the 64 characters the storage allows in UTF-8.

-- The sequence counter of each conversation. appendMessage() increments last_seq in the same
-- transaction as the insert (INSERT ... ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq
-- + 1)); the row lock serialises the appends of one conversation until their commit.
CREATE TABLE IF NOT EXISTS conversations (
  conv VARBINARY(256) NOT NULL,
  last_seq BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (conv)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Clustered by (conv, seq): a page of history is one range scan. TEXT holds 65,535 bytes, well
-- above the 16 KiB callers allow. Times are UTC with milliseconds, written by the application.
CREATE TABLE IF NOT EXISTS messages (
  conv VARBINARY(256) NOT NULL,
  seq BIGINT UNSIGNED NOT NULL,
  id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  sender BIGINT UNSIGNED NOT NULL,
  client_msg_id VARBINARY(256) NOT NULL,
  content_type VARCHAR(32) NOT NULL,
  payload TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  recalled_at DATETIME(3) NULL,
  PRIMARY KEY (conv, seq),
  UNIQUE KEY uk_messages_id (id),
  UNIQUE KEY uk_messages_client (sender, client_msg_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- How far each user got in each conversation: monotonic maxima, raised with GREATEST().
CREATE TABLE IF NOT EXISTS conversation_cursors (
  user_id BIGINT UNSIGNED NOT NULL,
  conv VARBINARY(256) NOT NULL,
  delivered_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
  read_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, conv)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Chat messages with a gap-free sequence per conversation. Text compares byte for byte (BINARY
-- collation), as the VARBINARY ids in MySQL. Times: Unix milliseconds (UTC).

-- The sequence counter of each conversation, incremented in the same BEGIN IMMEDIATE transaction
-- as the insert of the message.
CREATE TABLE IF NOT EXISTS conversations (
  conv TEXT NOT NULL PRIMARY KEY CHECK (length(conv) BETWEEN 1 AND 64),
  last_seq INTEGER NOT NULL
) WITHOUT ROWID;

-- A rowid table (payloads may be large); history pages read the (conv, seq) index.
CREATE TABLE IF NOT EXISTS messages (
  conv TEXT NOT NULL CHECK (length(conv) BETWEEN 1 AND 64),
  seq INTEGER NOT NULL CHECK (seq > 0),
  id TEXT NOT NULL UNIQUE,
  sender INTEGER NOT NULL,
  client_msg_id TEXT NOT NULL CHECK (length(client_msg_id) BETWEEN 1 AND 64),
  content_type TEXT NOT NULL CHECK (length(content_type) BETWEEN 1 AND 32),
  payload TEXT NOT NULL CHECK (length(CAST(payload AS BLOB)) <= 65535),
  created_at INTEGER NOT NULL,
  recalled_at INTEGER,
  UNIQUE (conv, seq),
  UNIQUE (sender, client_msg_id)
);

-- How far each user got in each conversation: monotonic maxima, raised with max().
CREATE TABLE IF NOT EXISTS conversation_cursors (
  user_id INTEGER NOT NULL,
  conv TEXT NOT NULL,
  delivered_seq INTEGER NOT NULL DEFAULT 0,
  read_seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, conv)
) WITHOUT ROWID;

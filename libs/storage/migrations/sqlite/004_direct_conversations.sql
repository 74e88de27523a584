-- Each user's direct conversations, as in mysql/004_direct_conversations.sql.
CREATE TABLE IF NOT EXISTS direct_conversations (
  user_id INTEGER NOT NULL,
  conv TEXT NOT NULL CHECK (length(conv) BETWEEN 1 AND 64),
  PRIMARY KEY (user_id, conv)
) WITHOUT ROWID;

-- Backfill from the conversations written before this version: direct ids are u:<low>:<high>.
-- No REGEXP in plain SQLite: after "u:", digits and exactly one colon between two numbers.
INSERT INTO direct_conversations (user_id, conv)
  SELECT CAST(substr(conv, 3, instr(substr(conv, 3), ':') - 1) AS INTEGER), conv FROM conversations
  WHERE conv GLOB 'u:[0-9]*:[0-9]*' AND substr(conv, 3) NOT GLOB '*[^0-9:]*' AND substr(conv, 3) NOT GLOB '*:*:*'
  ON CONFLICT DO NOTHING;
INSERT INTO direct_conversations (user_id, conv)
  SELECT CAST(substr(conv, 3 + instr(substr(conv, 3), ':')) AS INTEGER), conv FROM conversations
  WHERE conv GLOB 'u:[0-9]*:[0-9]*' AND substr(conv, 3) NOT GLOB '*[^0-9:]*' AND substr(conv, 3) NOT GLOB '*:*:*'
  ON CONFLICT DO NOTHING;

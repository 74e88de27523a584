-- Each user's direct conversations, so a client can list them without knowing them already.
-- Logic adds the two rows when a conversation gets its first message (addDirectConversation(),
-- INSERT IGNORE: idempotent). Clustered by (user_id, conv): directConversationsOf() reads one range.
CREATE TABLE IF NOT EXISTS direct_conversations (
  user_id BIGINT UNSIGNED NOT NULL,
  conv VARBINARY(256) NOT NULL,
  PRIMARY KEY (user_id, conv)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Backfill from the conversations written before this version: direct ids are u:<low>:<high>.
-- IGNORE and the exact pattern make a re-run after a partial apply harmless.
INSERT IGNORE INTO direct_conversations (user_id, conv)
  SELECT CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(conv, ':', 2), ':', -1) AS UNSIGNED), conv FROM conversations
  WHERE CAST(conv AS CHAR CHARACTER SET utf8mb4) REGEXP '^u:[0-9]{1,15}:[0-9]{1,15}$';
INSERT IGNORE INTO direct_conversations (user_id, conv)
  SELECT CAST(SUBSTRING_INDEX(conv, ':', -1) AS UNSIGNED), conv FROM conversations
  WHERE CAST(conv AS CHAR CHARACTER SET utf8mb4) REGEXP '^u:[0-9]{1,15}:[0-9]{1,15}$';

-- Groups, friends and blocks, as in mysql/003_social.sql. Times: Unix milliseconds (UTC).

-- AUTOINCREMENT: a dissolved group keeps its row and no id is ever reused.
CREATE TABLE IF NOT EXISTS chat_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  owner INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  dissolved_at INTEGER
);

CREATE TABLE IF NOT EXISTS group_members (
  group_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_group_members_user ON group_members (user_id, group_id);

-- One row per pair (lower id, higher id); accepted_at NULL = pending request from `requester`.
CREATE TABLE IF NOT EXISTS friendships (
  user_low INTEGER NOT NULL,
  user_high INTEGER NOT NULL CHECK (user_high > user_low),
  requester INTEGER NOT NULL CHECK (requester IN (user_low, user_high)),
  requested_at INTEGER NOT NULL,
  accepted_at INTEGER,
  PRIMARY KEY (user_low, user_high)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_friendships_high ON friendships (user_high, user_low);

CREATE TABLE IF NOT EXISTS user_blocks (
  user_id INTEGER NOT NULL,
  target INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, target)
) WITHOUT ROWID;

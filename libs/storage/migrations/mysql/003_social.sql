-- Groups, friends and blocks. Ids are BIGINT UNSIGNED like users.id; there are no foreign keys
-- (as in 002): the caller checks that users exist, and the tables stay cheap to shard later.

-- `groups` is a reserved word in MySQL 8, hence chat_groups. A dissolved group keeps its row
-- (dissolved_at set), so its id is never reused; its members are deleted.
CREATE TABLE IF NOT EXISTS chat_groups (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(64) NOT NULL,
  owner BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  dissolved_at DATETIME(3) NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Members of live groups. The secondary index (user_id, then the primary key) serves groupsOf().
CREATE TABLE IF NOT EXISTS group_members (
  group_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  role ENUM('owner', 'admin', 'member') NOT NULL,
  joined_at DATETIME(3) NOT NULL,
  PRIMARY KEY (group_id, user_id),
  KEY ix_group_members_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per pair of users, keyed (lower id, higher id) whoever asked: a request and its reverse
-- land on the same row, so two users asking each other at once cannot both stay "requested".
-- accepted_at NULL: a pending request from `requester`; set: friends.
CREATE TABLE IF NOT EXISTS friendships (
  user_low BIGINT UNSIGNED NOT NULL,
  user_high BIGINT UNSIGNED NOT NULL,
  requester BIGINT UNSIGNED NOT NULL,
  requested_at DATETIME(3) NOT NULL,
  accepted_at DATETIME(3) NULL,
  PRIMARY KEY (user_low, user_high),
  KEY ix_friendships_high (user_high)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One-way: user_id has blocked target.
CREATE TABLE IF NOT EXISTS user_blocks (
  user_id BIGINT UNSIGNED NOT NULL,
  target BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (user_id, target)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

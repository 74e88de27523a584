-- Each device's delivered cursor per conversation (op 21 from a connection that gave a
-- device_id): a device that comes back syncs from its own position, not from the highest of the
-- user's devices. Monotonic max, as conversation_cursors.
CREATE TABLE IF NOT EXISTS device_cursors (
  user_id BIGINT UNSIGNED NOT NULL,
  device VARBINARY(64) NOT NULL,
  conv VARBINARY(256) NOT NULL,
  delivered_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, device, conv)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

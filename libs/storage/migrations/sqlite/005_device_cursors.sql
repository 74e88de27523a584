-- Each device's delivered cursor per conversation, as in mysql/005_device_cursors.sql.
CREATE TABLE IF NOT EXISTS device_cursors (
  user_id INTEGER NOT NULL,
  device TEXT NOT NULL,
  conv TEXT NOT NULL,
  delivered_seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, device, conv)
) WITHOUT ROWID;

-- Users known by an external identity (an identity provider's subject, a connect proxy backend's
-- user string): one imcluster user each, created on first sight with no password. `subject` is
-- namespaced by logic ("jwks:<issuer>:<sub>", "proxy:<user>") and compared byte for byte.
CREATE TABLE IF NOT EXISTS external_users (
  subject VARCHAR(512) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (subject),
  UNIQUE KEY uk_external_users_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

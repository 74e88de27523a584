#!/bin/sh
# Entry point of deploy/infra/mariadb.Dockerfile. The SQL below runs on every start (--init-file),
# so a changed password in the environment takes effect at the next start.
set -eu
: "${MARIADB_DATABASE:?set MARIADB_DATABASE}" "${MARIADB_USER:?set MARIADB_USER}" "${MARIADB_PASSWORD:?set MARIADB_PASSWORD}"
case "$MARIADB_PASSWORD$MARIADB_USER$MARIADB_DATABASE" in
  *"'"* | *'`'* | *'\'*) echo "mariadb-start: MARIADB_* values must not contain quotes or backslashes" >&2; exit 2 ;;
esac
datadir=/var/lib/mysql
if [ ! -d "$datadir/mysql" ]; then
  # root@localhost: unix socket only; the application user below has a password.
  mariadb-install-db --no-defaults --datadir="$datadir" --auth-root-authentication-method=socket \
    --skip-test-db >/dev/null
fi
umask 077
init=/run/mysqld/init.sql
cat >"$init" <<SQL
CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$MARIADB_USER'@'%' IDENTIFIED BY '$MARIADB_PASSWORD';
ALTER USER '$MARIADB_USER'@'%' IDENTIFIED BY '$MARIADB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$MARIADB_DATABASE\`.* TO '$MARIADB_USER'@'%';
SQL
exec mariadbd --no-defaults --datadir="$datadir" --socket=/run/mysqld/mysqld.sock \
  --port="${MARIADB_PORT:-3306}" --bind-address="${MARIADB_BIND:-0.0.0.0}" --skip-name-resolve \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
  --max-connections=500 --init-file="$init"

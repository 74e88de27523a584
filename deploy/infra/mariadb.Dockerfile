# MariaDB for docker-compose.yml: Debian bookworm's mariadb-server (10.11). mariadb-start.sh creates
# the data folder on the first start and the database and user named by MARIADB_DATABASE,
# MARIADB_USER and MARIADB_PASSWORD on every start. Data in /var/lib/mysql.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mariadb-server mariadb-client \
 && rm -rf /var/lib/apt/lists/* /var/lib/mysql \
 && install -d -o mysql -g mysql /var/lib/mysql /run/mysqld
COPY deploy/infra/mariadb-start.sh /usr/local/bin/mariadb-start
USER mysql
EXPOSE 3306
CMD ["mariadb-start"]

#!/usr/bin/env bash
# Start Debian's PostgreSQL 15 cluster and give the current OS user a superuser role.
set -euo pipefail
if ! pg_lsclusters -h 2>/dev/null | awk '$1=="15" && $2=="main"' | grep -q online; then
    if [ "$(id -u)" -eq 0 ]; then
        pg_ctlcluster 15 main start
    else
        sudo pg_ctlcluster 15 main start
    fi
fi
user=$(id -un)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
for _ in $(seq 30); do as_postgres "psql -Atqc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
if [ "$(as_postgres "psql -Atqc \"select 1 from pg_roles where rolname='$user'\"")" != "1" ]; then
    as_postgres "createuser --superuser '$user'"
fi

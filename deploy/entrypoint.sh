#!/bin/sh
# The container's entry point (also runnable on a host: tests/e2e/test_deploy_entrypoint.py).
#   serve    wait for the database, then `slotwise serve` on SLOTWISE_HOST:SLOTWISE_PORT with
#            SLOTWISE_WORKERS processes (default 1; above 1 runs no in-process job worker)
#   worker   wait for the database, then `slotwise worker`
#   migrate  wait for the database, then `slotwise migrate` (the compose file's one-shot)
#   anything else is passed to `slotwise` as is (e.g. `users create …`, `db copy …`, `--help`)
# SLOTWISE_WAIT_SECONDS (default 60): how long to wait for the database to answer.
set -eu

wait_for_database() {
    deadline=$(( $(date +%s) + ${SLOTWISE_WAIT_SECONDS:-60} ))
    until python - <<'PY' 2>/dev/null
import sys
from sqlalchemy import create_engine, text
from slotwise.config import Settings
from slotwise.kit.db import sync_url

engine = create_engine(sync_url(Settings().database_url), connect_args={})
try:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
except Exception:
    sys.exit(1)
PY
    do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "slotwise-entrypoint: the database did not answer within ${SLOTWISE_WAIT_SECONDS:-60} s" >&2
            exit 1
        fi
        sleep 1
    done
}

command="${1:-serve}"
[ "$#" -gt 0 ] && shift
case "$command" in
    serve)
        wait_for_database
        exec slotwise serve --host "${SLOTWISE_HOST:-0.0.0.0}" --port "${SLOTWISE_PORT:-8000}" \
            --workers "${SLOTWISE_WORKERS:-1}" "$@"
        ;;
    worker)
        wait_for_database
        exec slotwise worker "$@"
        ;;
    migrate)
        wait_for_database
        exec slotwise migrate "$@"
        ;;
    *)
        exec slotwise "$command" "$@"
        ;;
esac

#!/usr/bin/env bash
# Start a local Redis on 127.0.0.1:6379 if none answers (machines start one as a service; a
# stopped one must not fail the run). The page-cache and multi-server tests share it, each
# under a key prefix of its own.
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
echo "Redis is down; starting it" >&2
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 1; done
echo "Redis did not start" >&2
exit 1

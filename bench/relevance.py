"""Relevance of both relevance sets, per kind of query, on SQLite and PostgreSQL.

    flock /tmp/hc-suite.lock .venv/bin/python bench/relevance.py                   # demo size
    flock /tmp/hc-suite.lock .venv/bin/python bench/relevance.py --pad 100000      # padded

For each database and set, in a fresh database (bench/databases.py): migrate, load the set
(the demo set: demo articles and synonyms; the wallet set: tests/faq/relevance_sets/, imported
with `manage.py import_articles`), optionally pad it to --pad articles with bench/search_corpus.py's
filler (dictionary words, 7 % real sentences of the set's own articles) and rebuild the index,
then ask /api/v1/search every query through Django's test client and score the ten slugs it
returns: recall@3 and MRR (tests/faq/relevance.py), per kind, for the part tuned against, the
held-out part and the blind part (written later, before the changes it measures) separately
(tests/faq/relevance_sets/evaluate.py). The demo set has no kinds
or held-out part; its kinds are guessed from the queries' characters.

Writes a table per size into docs/benchmarks.md (its own block), unless --no-docs.
--reuse keeps the databases between runs and reuses them if present: the lexicon and the
spelling correction change queries, not the index, so before/after runs can share one fill
(a padded fill takes minutes per set and database).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env, report  # noqa: E402
from bench.databases import BenchDatabases  # noqa: E402

PYTHON = sys.executable
BASE_DIR = django_env.BASE_DIR
REDIS_DB = 9
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def child(args: argparse.Namespace) -> None:
    """In a process whose environment chose the database: load, pad, score; print one JSON line."""
    django_env.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from faq.models import Article
    from tests.faq.relevance_sets import evaluate

    started = time.perf_counter()
    call_command("migrate", verbosity=0)  # a no-op on a reused database
    if not Article.objects.exists():
        evaluate.load(args.set)
        if args.pad:
            from bench.search_corpus import fill

            fill(args.pad)
            call_command("rebuild_search_index", verbosity=0)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE faq_article")
    prepared = time.perf_counter()
    outcome = evaluate.evaluate(Client(), evaluate.queries(args.set))
    result = {
        "database": connection.vendor,
        "set": args.set,
        "articles": Article.objects.count(),
        "prepare_seconds": round(prepared - started, 1),
        "query_seconds": round(time.perf_counter() - prepared, 1),
        "scores": [
            {"part": part, "kind": kind, "count": s.count, "recall": s.recall, "mrr": s.mrr}
            for (part, kind), s in sorted(outcome.scores.items())
        ],
        "misses": outcome.misses,
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)


def run(database: str, name: str, args: argparse.Namespace) -> dict:
    tag = f"_{args.tag}" if args.tag else ""
    databases = BenchDatabases(f"hc_bench_relevance_{name}_{args.pad or 'demo'}{tag}", args.redis_db)
    env = {**os.environ, "DJANGO_PAGE_CACHE": "0"}
    if args.reuse and _exists(databases, database):
        env.update(_selected(databases, database))
        if database == "postgresql":
            # The cache is keyed by content version, which restarts in every database: a kept
            # Redis db would hand one set's word counts to the other.
            import redis

            redis.Redis.from_url(databases.redis_url).flushdb()
    else:
        env.update(databases.prepare(database))
    command = [PYTHON, __file__, "--child", "--set", name, "--pad", str(args.pad)]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    if not args.reuse:
        databases.drop(database)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{database} {name} failed")
    return json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])


def _selected(databases: BenchDatabases, database: str) -> dict[str, str]:
    if database == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{databases.sqlite_path}"}
    return {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{databases.name}",
        "REDIS_URL": databases.redis_url,
    }


def _exists(databases: BenchDatabases, database: str) -> bool:
    if database == "sqlite":
        return databases.sqlite_path.exists()
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [databases.name]).fetchone()
    return row is not None


def _cell(scores: dict, part: str, kind: str) -> str:
    score = scores.get((part, kind))
    if score is None or not score["count"]:
        return "–"
    return f"{score['recall']:.2f} / {score['mrr']:.2f} ({score['count']})"


def render(results: list[dict], args: argparse.Namespace, command: str) -> str:
    size = f"padded to {args.pad:,} articles" if args.pad else "at demo size"
    lines = [
        f"Relevance {size}: recall@3 / MRR (queries) of each kind, through `/api/v1/search`.",
        "",
        f"Command: `{command}`",
        "",
    ]
    for name in args.sets:
        runs = [result for result in results if result["set"] == name]
        parts = ("all",) if name == "demo" else ("tuning", "held-out", "blind")
        header = ["kind"] + [f"{DATABASE_NAMES[run['database']]} {part}" for run in runs for part in parts]
        by_run = [{(s["part"], s["kind"]): s for s in run["scores"]} for run in runs]
        kinds = sorted({s["kind"] for run in runs for s in run["scores"]} - {"all"}) + ["all"]
        rows = [
            [f"**{kind}**" if kind == "all" else kind]
            + [_cell(scores, part, kind) for scores in by_run for part in parts]
            for kind in kinds
        ]
        articles = ", ".join(f"{DATABASE_NAMES[run['database']]} {run['articles']:,}" for run in runs)
        lines += [f"**{name} set** (articles: {articles})", "", report.markdown_table(header, rows), ""]
    lines.append(f"Measured on {report.machine_summary()}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pad", type=int, default=0, help="pad the database to this many articles (0: demo size)"
    )
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--sets", nargs="+", choices=["demo", "wallet"], default=["demo", "wallet"])
    parser.add_argument(
        "--tag", default="", help="suffix for the databases' names, so parallel runs never share one"
    )
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="Redis db number for PostgreSQL runs")
    parser.add_argument("--reuse", action="store_true", help="keep the databases, and reuse kept ones")
    parser.add_argument(
        "--misses", action="store_true", help="print the tuning queries whose answers missed the top 3"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--set", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    command = ".venv/bin/python bench/relevance.py" + "".join(f" {shlex.quote(arg)}" for arg in sys.argv[1:])
    results = []
    for database in args.databases:
        for name in args.sets:
            result = run(database, name, args)
            results.append(result)
            overall = {(s["part"], s["kind"]): s for s in result["scores"]}[("all", "all")]
            print(
                f"{database} {name} {result['articles']} articles: recall@3 {overall['recall']:.3f}"
                f" MRR {overall['mrr']:.3f} (prepared in {result['prepare_seconds']} s)",
                flush=True,
            )
            if args.misses:
                for kind, query, found in result["misses"]:
                    print(f"  miss [{kind}] {query} → {', '.join(found)}")
    text = render(results, args, command)
    print()
    print(text)
    if not args.no_docs:
        # One block per size (and per database when only one ran, so each can hold the lock alone).
        databases = "" if len(args.databases) == 2 else f"-{args.databases[0]}"
        report.replace_block(f"relevance-{args.pad or 'demo'}{databases}", text)
        print(f"Written to {report.BENCHMARKS_DOC.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()

"""A fresh database (and Redis database number) of either kind for one benchmark run.

Each benchmark names its own SQLite file, PostgreSQL database and Redis db number, so two
benchmarks never share data; creating and dropping them is the same for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class BenchDatabases:
    name: str  # hc_bench_<name>: the SQLite file under /tmp and the PostgreSQL database
    redis_db: int

    @property
    def sqlite_path(self) -> Path:
        return Path(f"/tmp/{self.name}.sqlite3")

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:6379/{self.redis_db}"

    def prepare(self, database: str) -> dict[str, str]:
        """A fresh, empty database; returns the environment variables that select it."""
        self.drop(database)
        if database == "sqlite":
            return {"DATABASE_URL": f"sqlite:///{self.sqlite_path}"}
        _postgres(f"CREATE DATABASE {self.name}")
        return {"DATABASE_URL": f"{POSTGRES_SERVER}/{self.name}", "REDIS_URL": self.redis_url}

    def drop(self, database: str) -> None:
        if database == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        _postgres(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()  # our own Redis database number only


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)

"""Reading settings from the environment: an unset or blank variable means the default."""

from __future__ import annotations

import os

import dj_database_url


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.strip() else default


def replica_database(primary: dict, url: str) -> dict:
    """The read replica's DATABASES entry: the primary's options (persistent connections,
    health checks, jit off) with the replica's address; tests read it from the test database."""
    return {
        **primary,
        **dj_database_url.parse(url, conn_max_age=primary["CONN_MAX_AGE"]),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }

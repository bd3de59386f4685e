"""A scratch database for one benchmark run: a SQLite file, or a database of its own on a PostgreSQL server.

The candidate list's benchmark keeps schemas per size instead (benchmarks/candidate_list.py); every
other benchmark and the soak use one whole database from here, dropped and made again each run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class ScratchDatabase:
    url: str
    label: str  # "sqlite" or "postgresql"
    exists: Callable[[], bool]
    create: Callable[[], None]
    drop: Callable[[], None]


def postgres_scratch(server_url: str) -> ScratchDatabase:
    """The database BENCH_DATABASE_NAME (default academy_bench; the name must contain "bench") on the server."""
    import psycopg2  # the portal's own PostgreSQL driver
    from psycopg2 import sql

    name = os.environ.get("BENCH_DATABASE_NAME", "academy_bench")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r} as a scratch database: its name must contain 'bench'.")
    parts = urlsplit(server_url)
    maintenance_url = urlunsplit(parts._replace(path="/postgres"))
    scratch_url = urlunsplit(parts._replace(path=f"/{name}"))

    def run(statement: sql.Composable) -> list[tuple[object, ...]]:
        connection = psycopg2.connect(maintenance_url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def exists() -> bool:
        return bool(run(sql.SQL("SELECT 1 FROM pg_database WHERE datname = {}").format(sql.Literal(name))))

    def drop() -> None:
        run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def create() -> None:
        drop()
        run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    return ScratchDatabase(url=scratch_url, label="postgresql", exists=exists, create=create, drop=drop)


def sqlite_scratch(path: Path) -> ScratchDatabase:
    """A SQLite file at `path` (under var/bench/), removed and made again each run."""

    def create() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)

    return ScratchDatabase(
        url=f"sqlite:///{path}",
        label="sqlite",
        exists=path.exists,
        create=create,
        drop=lambda: path.unlink(missing_ok=True),
    )

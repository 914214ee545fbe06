"""The benchmarks' own PostgreSQL databases: checked names, created fresh on the server DATABASE_URL names, dropped."""

import os
import re
import sys
from urllib.parse import urlsplit

import dj_database_url
import psycopg
from psycopg import sql

SAFE_NAME = re.compile(r"^bench_[a-z0-9_]{1,50}$")


def check_name(database: str) -> None:
    if not SAFE_NAME.match(database):
        sys.exit(f"--database must look like bench_something (lower case); got {database!r}")


def server_config(script: str) -> dict:
    """The server and credentials from DATABASE_URL; exits unless it is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if "postgresql" not in config.get("ENGINE", ""):
        sys.exit(
            f"{script} measures PostgreSQL only and will not run on SQLite: set DATABASE_URL to a PostgreSQL "
            "server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres"
        )
    return config


def url_for(database: str) -> str:
    """DATABASE_URL with the benchmark's own database in place of the one it names."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + database).geturl()


def admin_connection(config: dict, database: str) -> psycopg.Connection:
    """A connection to another database on the same server, to create or drop the benchmark's own."""
    maintenance = config["NAME"] if config.get("NAME") and config["NAME"] != database else "postgres"
    return psycopg.connect(
        dbname=maintenance,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )


def recreate_database(config: dict, database: str) -> str:
    """Drop and create the database; returns the server's version."""
    check_name(database)
    with admin_connection(config, database) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def drop_database(config: dict, database: str) -> None:
    check_name(database)
    with admin_connection(config, database) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))

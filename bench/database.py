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


def run_sized(script: str, args, run) -> int:
    """A sized benchmark's life: check ``args.sizes`` and ``args.database``, create the database fresh on the server
    DATABASE_URL names, set Django up on it, call ``run(args, sizes)`` (which returns {"sizes", "version",
    "timings"}), drop the database unless ``args.keep``, and print the figures as one JSON object, the last line."""
    import json
    import time

    check_name(args.database)
    sizes = [int(s) for s in args.sizes.split(",")]
    if sizes != sorted(set(sizes)) or sizes[0] < 1:
        sys.exit("--sizes must be positive and ascending, e.g. 1000,100000")
    config = server_config(script)
    started = time.perf_counter()
    recreate_database(config, args.database)
    os.environ["DATABASE_URL"] = url_for(args.database)
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings

    import django

    django.setup()
    from django.db import connections

    try:
        outcome = run(args, sizes)
    finally:
        connections.close_all()
        if args.keep:
            print(f"kept database {args.database}", flush=True)
        else:
            drop_database(config, args.database)
            print(f"dropped database {args.database}", flush=True)
    total = round(time.perf_counter() - started, 1)
    print(f"total {total} s: " + ", ".join(f"{k} {v}" for k, v in outcome["timings"].items()), flush=True)
    print(
        json.dumps(
            {
                "sizes": outcome["sizes"],
                "machine": {"cpus": os.cpu_count()},
                "postgres": outcome["version"],
                "timings_s": {**outcome["timings"], "total": total},
            }
        ),
        flush=True,
    )
    return 0

"""Start and stop real server and worker processes for the service tests."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support import base_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "TMPDIR"}}
    return {**keep, **extra}


class Process:
    """A child process whose output goes to a log file we can show when something fails."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            args, cwd=base_dir(), env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-6000:]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 30) -> int:
        """Ask politely (SIGTERM) and wait; return the exit code. Kill only if it does not stop in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                self._log.close()
                raise AssertionError(f"{self.name} did not stop within {timeout}s:\n{self.log()}") from None
        self._log.close()
        return self.proc.returncode


def celery_worker(
    *, env: dict[str, str], queue: str, log_dir: Path, name: str = "worker", node: str | None = None
) -> Process:
    return Process(
        name,
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{node or queue}@%h",
            "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ],
        env,
        log_dir,
    )  # fmt: skip


def celery_beat(*, env: dict[str, str], log_dir: Path, name: str = "beat") -> Process:
    """Exactly one beat, its schedule file in the test's folder."""
    return Process(
        name,
        [sys.executable, "-m", "celery", "-A", "config", "beat", f"--schedule={log_dir / 'beat-schedule'}",
         "--loglevel=INFO"],
        env,
        log_dir,
    )  # fmt: skip


def kill_hard(process: Process) -> None:
    """SIGKILL the whole process group: no cleanup, no goodbye (a crashed or OOM-killed worker)."""
    os.killpg(process.proc.pid, signal.SIGKILL)
    process.proc.wait(timeout=30)
    process._log.close()


def flush_redis(url: str) -> None:
    """Empty one Redis database (the test's own broker database) before a test uses it."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def wait_for_worker(process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise AssertionError(f"{process.name} exited early:\n{process.log()}")
        if "ready." in process.log():
            return
        time.sleep(0.3)
    raise AssertionError(f"{process.name} not ready within {timeout}s:\n{process.log()}")


def wait_for_http(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise AssertionError(f"{process.name} exited early:\n{process.log()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s:\n{process.log()}")


class Browserless:
    """Just enough of a browser over plain HTTP: cookies kept by hand, since they are marked Secure."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        all_headers = {
            "Host": f"127.0.0.1:{self.port}",
            # What the TLS-terminating proxy adds in front of gunicorn.
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        content = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response, content


def wait_until(predicate, *, timeout: float, every: float = 0.02, what: str, logs=()):
    """Poll ``predicate`` until it gives something true (returned), or fail after ``timeout`` seconds naming ``what``
    and showing the processes' logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {timeout}s\n" + "\n".join(p.log() for p in logs))

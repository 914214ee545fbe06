"""Start and stop real server and worker processes for the service tests."""

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


def celery_worker(*, env: dict[str, str], queue: str, log_dir: Path, name: str = "worker") -> Process:
    return Process(
        name,
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
            "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ],
        env,
        log_dir,
    )  # fmt: skip


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

"""The HTTP side of the harness: gunicorn on the loopback, and wrk driving it through bench/wrk.lua."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
RESULT_RE = re.compile(r"^RESULT (.*)$", re.MULTILINE)
TAKEN_RE = re.compile(r"^TAKEN (.*)$", re.MULTILINE)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1, started and stopped by the harness (its own process only)."""

    def __init__(self, env, log_path, workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "ab")  # noqa: SIM115 (kept open for the server's lifetime)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "config.wsgi:application", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/sante/", timeout=2) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /sante/ within 60 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wrk_path():
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is missing: `apt-get install wrk` (make bench does it when run as root)")
    return path


def parse_wrk(output):
    """{requests, p50_ms, p95_ms, p99_ms, max_ms, mean_ms, errors} and the taken ids from the script's lines."""
    match = RESULT_RE.search(output)
    if match is None:
        raise RuntimeError(f"wrk gave no RESULT line:\n{output[-2000:]}")
    fields = dict(pair.split("=") for pair in match.group(1).split())
    result = {
        "requests": int(fields["requests"]),
        "p50_ms": int(fields["p50"]) / 1000,
        "p95_ms": int(fields["p95"]) / 1000,
        "p99_ms": int(fields["p99"]) / 1000,
        "max_ms": int(fields["max"]) / 1000,
        "mean_ms": round(float(fields["mean"]) / 1000, 3),
        "errors": int(fields["errors"]) + int(fields["bad_status"]),
        "seconds": round(int(fields["duration_us"]) / 1e6, 2),
    }
    taken = []
    for line in TAKEN_RE.findall(output):
        taken += [value for value in line.split(",") if value]
    return result, taken


def run_wrk(
    url, path, *, sessions, csrf, seconds, connections=2, method="GET", body="", limit=0, capture=False, expect=200
):
    """One bounded wrk run (``seconds`` and, with ``limit``, requests per connection); returns (figures, taken)."""
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_PATH": path,
        "BENCH_BODY": body,
        "BENCH_SESSIONS": "|".join(sessions),
        "BENCH_CSRF": csrf,
        "BENCH_LIMIT": str(limit),
        "BENCH_CAPTURE": "1" if capture else "0",
        "BENCH_EXPECT": str(expect),
    }
    command = [wrk_path(), "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
               "-s", str(SCRIPT), url]  # fmt: skip
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return parse_wrk(completed.stdout)


def wrk_version():
    completed = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True, check=False)
    text = (completed.stdout + completed.stderr).strip().splitlines()
    return text[0] if text else "wrk"

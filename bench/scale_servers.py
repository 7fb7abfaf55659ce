"""bench/scale.py's databases and servers: a throwaway database per size, gunicorn on the
production settings, nginx serving saved bytes, and `ab` batches against them."""

import csv
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / ".data"
PYTHON = sys.executable
CHUNK = 10_000  # merchants per generate_merchants run (see Database.start_build)


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def merchant_count(url: str) -> int | None:
    """Merchants in the database at `url`, or None when it is missing or not migrated."""
    query = "SELECT count(*) FROM directory_merchantpage"
    try:
        if url.startswith("sqlite"):
            path = Path(url.removeprefix("sqlite:///").replace("//", "/"))
            if not path.exists():
                return None
            with sqlite3.connect(path) as db:
                return db.execute(query).fetchone()[0]
        import psycopg

        with psycopg.connect(url) as db:
            return db.execute(query).fetchone()[0]
    except Exception:  # noqa: BLE001 - any failure means "build it"
        return None


class Database:
    """One size's database (SQLite file or PostgreSQL database) and its media directory."""

    def __init__(self, size: int, database_url: str | None, keep: bool):
        self.size = size
        self.keep = keep
        self.tmp = None if keep else tempfile.mkdtemp(prefix=f"bench-scale-{label(size)}-")
        base = DATA if keep else Path(self.tmp)
        self.media = base / f"media-{size}"
        if database_url:
            parts = urlsplit(database_url)
            self.name = f"{parts.path.lstrip('/') or 'portal_bench'}_{label(size)}"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        else:
            self.name = None
            self.url = f"sqlite:///{base / f'scale-{size}.sqlite3'}"
        self.build_seconds = None

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        return {**env, "DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media)}

    def ready(self) -> bool:
        return self.keep and merchant_count(self.url) == self.size

    def start_build(self) -> subprocess.Popen:
        """migrate, createcachetable, seed_demo, then generate_merchants up to `size` in chunks
        (seeds 1, 2, ...), in a background process (both sizes build at once, one per core).

        Chunks, because on PostgreSQL one generate_merchants run of 100,000 slows down
        quadratically: its session plans the foreign-key checks (merchant -> page) while the
        page table is nearly empty and then scans the whole table for every merchant
        inserted; each run ANALYZEs at its end, and the next chunk's new session uses the
        index."""
        if self.name:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                db.execute(f'CREATE DATABASE "{self.name}"')
        else:
            path = Path(self.url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
        self.media.mkdir(parents=True, exist_ok=True)
        script = (
            "import django, time\n"
            "from django.core.management import call_command\n"
            "django.setup()\n"
            "from django.db import connection\n"
            "from directory.models import MerchantPage\n"
            "t = time.perf_counter()\n"
            "call_command('migrate', '--noinput', verbosity=0)\n"
            "call_command('createcachetable')\n"
            "call_command('seed_demo', verbosity=0)\n"
            "seeded = time.perf_counter()\n"
            f"missing = {self.size} - MerchantPage.objects.count()\n"
            f"for seed, start in enumerate(range(0, missing, {CHUNK}), 1):\n"
            f"    count = min({CHUNK}, missing - start)\n"
            "    call_command('generate_merchants', count=count, seed=seed, verbosity=0)\n"
            "    connection.close()  # a new session: foreign-key checks planned afresh\n"
            "print(f'{seeded - t:.1f} {time.perf_counter() - seeded:.1f} {missing}')\n"
        )
        env = {**self.env(), "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
        self.started = time.perf_counter()
        return subprocess.Popen(  # noqa: S603 - this interpreter, our own script
            [PYTHON, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )

    def drop(self) -> None:
        if self.keep:
            return
        if self.name:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def production_env(database: Database, redis_url: str | None, port: int) -> dict:
    env = {
        **database.env(),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "PAYMENT_PROVIDER": "stripe",  # keys never used: the pages measured are read-only
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "TASKS_BACKEND": "immediate",  # no worker runs: nothing here enqueues anything
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["CACHE_DATABASE_ALLOWED"] = "1"
    return env


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own local server
                return
        except OSError:
            if process.poll() is not None:
                stopped = f"{process.args[0]} stopped with status {process.returncode}"
                raise SystemExit(stopped) from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Gunicorn:
    """The portal (with bench/bare_app.py's bare view) under gunicorn, 2 sync workers."""

    def __init__(self, database: Database, redis_url: str | None, extra_env: dict | None = None):
        self.size = database.size
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**production_env(database, redis_url, self.port), **(extra_env or {})}
        command = [
            str(Path(PYTHON).with_name("gunicorn")),
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{self.port}",
            f"--chdir={ROOT}",
            "--timeout=120",
            "--log-level=warning",
            "bench.bare_app:application",  # bench/ is a namespace package
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603
        wait_for(self.base + "/healthz", self.process)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


NGINX_CONF = """daemon off;
worker_processes 2;
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    types {{ application/geo+json geojson; }}
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    tcp_nopush on;
    gzip_static on;
    gzip_http_version 1.0;  # ab speaks HTTP/1.0: without this nginx sends it the raw file
    gzip_vary on;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
    }}
}}
"""


class Nginx:
    """Debian's nginx on a free port serving files (precompressed .gz next to each, served
    as they are with gzip_static: the same bytes the portal sends)."""

    def __init__(self, files: dict[str, tuple[bytes, bytes]]):
        self.prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        (self.prefix / "www").mkdir()
        for name, (raw, gzipped) in files.items():
            (self.prefix / "www" / name).write_bytes(raw)
            (self.prefix / "www" / f"{name}.gz").write_bytes(gzipped)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        conf = self.prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=self.prefix, port=self.port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [nginx, "-e", str(self.prefix / "error.log"), "-p", str(self.prefix)]
        self.process = subprocess.Popen([*command, "-c", str(conf)])  # noqa: S603
        wait_for(f"{self.base}/{next(iter(files))}", self.process)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(self.prefix, ignore_errors=True)


def ab(url: str, seconds: float, concurrency: int, gzip: bool) -> dict:
    """One batch of Apache Bench: requests, seconds, p50 (ms) and the percentile table."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as percentiles:
        command = ["ab", "-q", "-t", str(seconds), "-n", "1000000", "-c", str(concurrency)]
        command += ["-e", percentiles.name, "-s", "120"]
        if gzip:
            command += ["-H", "Accept-Encoding: gzip"]
        done = subprocess.run(  # noqa: S603 - ab with our own arguments
            [*command, url], capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"ab {url}: {done.stderr or done.stdout}")
        with open(percentiles.name) as lines:
            table = {int(float(p)): float(ms) for p, ms in list(csv.reader(lines))[1:]}

    def number(pattern: str) -> float:
        found = re.search(pattern, done.stdout)
        return float(found.group(1)) if found else 0.0

    if number(r"Non-2xx responses:\s+(\d+)"):
        raise RuntimeError(f"ab {url}: non-2xx responses\n{done.stdout}")
    return {
        "requests": number(r"Complete requests:\s+(\d+)"),
        "seconds": number(r"Time taken for tests:\s+([\d.]+)"),
        "bytes": number(r"Document Length:\s+(\d+)"),
        "p50": table[50],
    }

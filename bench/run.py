"""Agora's benchmark: seed a data set, serve it with gunicorn, load it with wrk.

    python bench/run.py                       # 1,000 topics x 10 posts + one 2,000-post topic
    python bench/run.py --posts 1000000       # the scale run, with one 100,000-post topic
    python bench/run.py --reuse               # keep the database seeded by an earlier run

It starts what it needs (PostgreSQL, Redis, wrk from Debian) and stops what it
started. Agora runs with its production settings against PostgreSQL and
Redis, under gunicorn with 2 sync workers on loopback; a bare Django view runs
under the same gunicorn in the same run, as the yardstick. The table gives
req/s, p50 and p99 latency and SQL queries per request for each page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seed_words import NEEDLE_PHRASE, SEARCH_WORD  # noqa: E402

PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PG = "postgres://postgres@127.0.0.1:5432"
# The Redis database of the benchmark's cache and task queue.
REDIS_DB = 11


def sh(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, text=True, capture_output=True, **kwargs)


def redis_cli(*args: str) -> str:
    """Run a redis-cli command on the benchmark's Redis database; return its output."""
    return sh("redis-cli", "-n", str(REDIS_DB), *args, check=False).stdout.strip()


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_running():
    """Use the machine's PostgreSQL; start it (and stop it afterwards) if it is down."""
    started = False
    if not port_open(5432):
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        print(f"bench: starting PostgreSQL {version}")
        sh("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")
        started = True
        for _ in range(30):
            if port_open(5432):
                break
            time.sleep(1)
    try:
        yield
    finally:
        if started:
            sh("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", check=False)


@contextmanager
def redis_running():
    started = False
    if not port_open(6379):
        print("bench: starting Redis")
        sh(
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        )
        started = True
        for _ in range(30):
            if port_open(6379):
                break
            time.sleep(0.2)
    try:
        yield
    finally:
        if started:
            sh("redis-cli", "-p", "6379", "shutdown", "nosave", check=False)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: installing wrk (Debian package)")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh(*prefix, "apt-get", "install", "-y", "-qq", "wrk", env=env)
    return shutil.which("wrk") or "wrk"


def bench_env(db_name: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG}/{db_name}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "AGORA_VAR_DIR": str(ROOT / "var" / "bench"),
        "LOG_LEVEL": "WARNING",
        # Rate limits guard a real site; the load generator is one member posting fast.
        "AGORA_POST_INTERVAL_SECONDS": "0",
        "AGORA_NEW_MEMBER_DAYS": "0",
        "AGORA_APPROVE_LINKS_HOURS": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def prepare_database(env: dict[str, str], db_name: str, seed_args: list[str], reuse: bool) -> str:
    databases = sh("psql", f"{PG}/postgres", "-Atc", "SELECT datname FROM pg_database").stdout
    exists = db_name in databases.split()
    if exists and not reuse:
        sh("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", db_name)
    if not exists or not reuse:
        sh("createdb", "-h", "127.0.0.1", "-U", "postgres", db_name)
    # Migrations run on a reused database too: the code may have moved on.
    sh(PY, "manage.py", "migrate", "--noinput", "-v0", cwd=ROOT, env=env)
    sh(PY, "manage.py", "collectstatic", "--noinput", "-v0", cwd=ROOT, env=env)
    if exists and reuse:
        return "reused"
    out = sh(PY, "bench/seed.py", *seed_args, cwd=ROOT, env=env).stdout.strip()
    # The bulk inserts bypass the post services: build the search index once.
    sh(PY, "manage.py", "reindex_search", cwd=ROOT, env=env)
    return out.splitlines()[-1]


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int):
    port = free_port()
    log_path = ROOT / "var" / "bench" / f"gunicorn-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 (closed below; a pipe would fill and block)
    proc = subprocess.Popen(
        [
            GUNICORN,
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            if port_open(port):
                break
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited: {log_path.read_text()}")
            time.sleep(0.1)
        yield port, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def task_worker(env: dict[str, str]):
    """An RQ worker on the benchmark's queue, like the compose ``worker`` service."""
    log = open(ROOT / "var" / "bench" / "worker.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [PY, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_tasks(timeout: float = 300) -> float:
    """Wait until the RQ queue is empty and no job is running; return the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        queued = redis_cli("llen", "rq:queue:default")
        running = redis_cli("zcard", "rq:wip:default")
        if queued in ("", "0") and running in ("", "0"):
            break
        time.sleep(1)
    return time.monotonic() - start


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = sh("ps", "-o", "pid=", "--ppid", str(master.pid), check=False).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return sizes


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    wrk: str,
    url: str,
    seconds: int,
    connections: int,
    threads: int,
    headers: list[str],
    script: str | None = None,
) -> dict[str, float]:
    args = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", script]
    done = sh(*args, url, check=False)
    out = done.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rps or os.environ.get("BENCH_VERBOSE"):
        print(f"bench: wrk gave no result for {url}:\n{out}\n{done.stderr}", file=sys.stderr)
    latencies = {m.group(1): to_ms(m.group(2), m.group(3)) for m in LATENCY.finditer(out)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latencies.get("50", 0.0),
        "p99": latencies.get("99", 0.0),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--posts-per-topic", type=int, default=10)
    parser.add_argument("--long-topic", type=int, default=2000)
    parser.add_argument("--posts", type=int, help="scale run: total posts (one 100,000-post topic)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        help="AGORA_PAGE_CACHE_SECONDS for the server (0 measures every page rendered)",
    )
    args = parser.parse_args()

    if args.posts:
        db_name, seed_args = f"agora_bench_{args.posts}", ["--posts", str(args.posts)]
    else:
        db_name = "agora_bench"
        seed_args = [
            "--topics",
            str(args.topics),
            "--posts-per-topic",
            str(args.posts_per_topic),
            "--long-topic",
            str(args.long_topic),
        ]
    env = bench_env(db_name)
    if args.page_cache_seconds is not None:
        env["AGORA_PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
    wrk = ensure_wrk()

    with ExitStack() as stack:
        stack.enter_context(postgres_running())
        stack.enter_context(redis_running())
        redis_cli("flushdb")
        print("bench: preparing the database ...", flush=True)
        seeded = prepare_database(env, db_name, seed_args, args.reuse)
        print(f"bench: data set: {seeded}", flush=True)

        lookup = json.loads(sh(PY, "-c", LOOKUP, cwd=ROOT, env=env).stdout)
        pages = {
            "board index": {"path": "/"},
            "topic list": {"path": lookup["forum"]},
            "topic, guest (10 posts)": {"path": lookup["topic"]},
            "topic, member (10 posts)": {"path": lookup["topic"], "member": True},
            "long topic, page 1": {"path": lookup["long"]},
            "long topic, last page": {"path": lookup["long_last"]},
            "long topic, last page, member": {"path": lookup["long_last"], "member": True},
            "search, a rare phrase": {"path": "/search/?q=" + quote(f'"{NEEDLE_PHRASE}"')},
            "search, a common word": {"path": f"/search/?q={SEARCH_WORD}"},
            "reply POST": {"path": lookup["reply"], "method": "post", "member": True},
        }
        if args.only:
            pages = {name: spec for name, spec in pages.items() if args.only in name}
        probe = json.loads(
            sh(PY, "bench/queries.py", json.dumps(pages), cwd=ROOT, env=env)
            .stdout.strip()
            .splitlines()[-1]
        )
        member_headers = [f"Cookie: {probe['cookie']}"]
        post_script = ROOT / "var" / "bench" / "post.lua"
        post_script.parent.mkdir(parents=True, exist_ok=True)
        body = f"csrfmiddlewaretoken={probe['csrf']}&body=A+benchmark+reply+from+wrk."
        post_script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )

        rows = []
        with gunicorn("bench.bare:application", env, args.workers) as (port, _):
            url = f"http://127.0.0.1:{port}/"
            run_wrk(wrk, url, 2, args.connections, args.threads, [])
            bare = run_wrk(wrk, url, args.duration, args.connections, args.threads, [])
        # The task worker runs beside the server, as in production: reply
        # notifications to the topic's followers fan out there.
        worker = stack.enter_context(task_worker(env))
        # The probe's reply fans out to the topic's followers: let the worker
        # finish it, or it competes with the first pages measured.
        waited = wait_for_tasks()
        print(f"bench: the task queue drained in {waited:.0f} s", flush=True)
        with gunicorn("forum.wsgi:application", env, args.workers) as (port, master):
            base = f"http://127.0.0.1:{port}"
            urllib.request.urlopen(base + "/healthz", timeout=10).read()  # noqa: S310
            for name, spec in pages.items():
                headers = member_headers if spec.get("member") else []
                url = base + spec["path"]
                if spec.get("method") == "post":
                    headers = [*headers, f"Referer: {base}{lookup['topic']}"]
                    result = run_wrk(wrk, url, args.duration, 1, 1, headers, str(post_script))
                    queries = probe.get("reply_queries")
                else:
                    run_wrk(wrk, url, 2, args.connections, args.threads, headers)  # warm up
                    result = run_wrk(
                        wrk, url, args.duration, args.connections, args.threads, headers
                    )
                    queries = probe["queries"].get(name)
                rows.append((name, result, queries))
            rss = worker_rss_mb(master)
        queued = redis_cli("llen", "rq:queue:default")
        worker_ok = worker.poll() is None

    print()
    print(
        f"Data set: {seeded}; gunicorn {args.workers} sync workers; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s"
    )
    header = f"{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'vs bare':>9}"
    print(header)
    print("-" * len(header))
    for name, result, queries in rows:
        ratio = result["rps"] / bare["rps"] if bare["rps"] else 0
        q = "n/a" if queries is None else str(queries)
        note = f"  ({result['errors']} non-2xx/3xx)" if result["errors"] else ""
        print(
            f"{name:<28}{result['rps']:>9.0f}{result['p50']:>9.1f}{result['p99']:>9.1f}"
            f"{q:>9}{ratio:>8.0%}{note}"
        )
    print(
        f"{'bare Django view (30 KB)':<28}{bare['rps']:>9.0f}{bare['p50']:>9.1f}"
        f"{bare['p99']:>9.1f}{'-':>9}{'100%':>9}"
    )
    print(f"gunicorn worker RSS: {', '.join(f'{m:.0f} MB' for m in rss)}")
    print(f"task worker {'running' if worker_ok else 'DIED'}; tasks still queued: {queued}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "data_set": seeded,
                    "bare": bare,
                    "rss_mb": rss,
                    "pages": [{"page": n, **r, "queries": q} for n, r, q in rows],
                },
                indent=2,
            )
        )


LOOKUP = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
django.setup()
from django.urls import reverse
from bench.seed import FOLLOWED_TOPIC
from forum.boards.models import Forum
from forum.threads.models import Topic
long = Topic.objects.order_by("-last_position").first()
topic = Topic.objects.get(title="Benchmark topic 5")
reply = Topic.objects.get(title=FOLLOWED_TOPIC)
forum = Forum.objects.order_by("pk").first()
print(json.dumps({
    "forum": forum.get_absolute_url(),
    "topic": topic.get_absolute_url(),
    "long": long.get_absolute_url(),
    "long_last": long.get_page_url(long.page_count),
    "reply": reverse("posts:topic_reply", args=[reply.pk, reply.slug]),
}))
"""


if __name__ == "__main__":
    main()

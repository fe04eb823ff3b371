"""Web pages under load: latency per page with 50 concurrent users on PostgreSQL (DESIGN §5: p95 < 100 ms).

    python -m bench.web_pages --database-url postgres://postgres@127.0.0.1:55432/congvu_perf \
        [--people 200000] [--reuse] [--users 50] [--duration 60] [--think 1.0] [--server gunicorn]

1. The database: ``congvu demo --people N --no-serve --reset`` (a province of N people, the demo logins),
   then ``VACUUM ANALYZE``. ``--reuse`` keeps a finished demo database of the same size (migrating it only).
2. The server: gunicorn (gthread workers: ``--workers`` processes × ``--threads`` threads, DEBUG off,
   production settings) on 127.0.0.1, or ``--server wsgiref`` (the standard library's server with a thread
   per request, one process: no dependency, but one core under the GIL).
3. Meanwhile the HR user edits ``--writes-per-minute`` records through ``update_person`` (one more month
   of social insurance, audited), so the caches that last until the next audited write are refreshed as
   they would be in an office at work.
4. ``--users`` clients (Python threads, one keep-alive ``http.client`` connection and one session each)
   log in as the demo users (passwords from ``demo_password``), then for ``--duration`` seconds each
   draws a page from the mix, waits for the whole answer and thinks ``--think`` seconds (exponential, mean
   given; 0 = the next request at once). The first ``--warmup`` seconds are not counted.
5. Per page: count, errors, p50/p95/p99/max; overall throughput; and the SQL queries one request of each
   page issues (Django's test client with ``CaptureQueriesContext``, as the HR user).

Only 127.0.0.1 is ever contacted; the run stops by itself. Results go to
``bench/results/web_pages_<N>_u<users>_t<think>.json`` and a line in ``results.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib
import itertools
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Timer, database_label, setup_django, write_result

HOST = "127.0.0.1"  # the only address this benchmark talks to
BAR_P95_MS = 100.0
SEARCHES = ("nguyen thi", "tran van", "le thi thu", "pham minh", "hoang anh", "vu duc")

# page name → (weight in the mix, what it asks for). Targets are filled in per user by ``targets_for``.
MIX: dict[str, int] = {
    "home": 10,
    "org_tree": 8,
    "unit": 12,
    "people_list": 10,
    "people_search": 12,
    "people_page50": 8,
    "person": 14,
    "person_history": 8,
    "api_people_search": 9,
    "api_units": 9,
}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="postgres://user@host:port/db (a demo database: rebuilt unless --reuse)")
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep a finished demo database of the same size")
    parser.add_argument("--skip-migrate", action="store_true",
                        help="with --reuse: measure the database as it is (e.g. before a migration's indexes)")
    parser.add_argument("--users", type=int, default=50, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (after the warm-up)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load not counted")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests, seconds")
    parser.add_argument("--writes-per-minute", type=float, default=10.0,
                        help="audited edits by the HR user meanwhile (each invalidates the cached counts)")
    parser.add_argument("--server", choices=("gunicorn", "wsgiref"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per process")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--label", default="", help="added to the result name")
    parser.add_argument("--wsgi", default="congvu.wsgi:application",
                        help="module:callable served (e.g. a module on PYTHONPATH that patches a proposal in)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    return args


# ---- the database -------------------------------------------------------------------------------------


def demo_people() -> int | None:
    """People in the finished demo build of the database (None if it is not a finished demo database)."""
    from congvu.demo.generate import demo_state, last_build

    if demo_state() != "demo":
        return None
    job = last_build()
    return int(job.summary.get("people", 0)) if job is not None else None


def prepare_database(args: argparse.Namespace, timer: Timer) -> str:
    """Build (or reuse) the demo database; returns "built" or "reused"."""
    from django.core.management import call_command
    from django.db import connection

    if args.reuse and demo_people() == args.people:
        if not args.skip_migrate:
            with timer("migrate"):
                call_command("migrate", interactive=False, verbosity=0)
        how = "reused"
    else:
        connection.close()  # the build empties the tables; hold no connection meanwhile
        env = {**os.environ, "DATABASE_URL": args.database_url, "CONGVU_DEBUG": "false"}
        command = [str(Path(sys.executable).with_name("congvu")), "demo", "--people", str(args.people),
                   "--seed", str(args.seed), "--no-serve", "--reset"]
        with timer("build"):
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        how = "built"
    # The steady state of a live database: autovacuum has set the visibility map (index-only scans) and
    # the planner's statistics are current. Right after a bulk build neither is true yet.
    with timer("vacuum_analyze"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return how


# ---- what each user asks for --------------------------------------------------------------------------


@dataclass
class UserPlan:
    """One demo user's login and the URLs each page of the mix may use for them."""

    username: str
    password: str
    token: str
    urls: dict[str, list[str]] = field(default_factory=dict)


def person_urls(person_ids: Sequence[int], suffix: str = "") -> list[str]:
    return [f"/can-bo/{pk}/{suffix}" for pk in person_ids]


def targets_for(user: Any, rng: random.Random, token: str, password: str) -> UserPlan:
    """Units and people within the user's reach, sampled with the seed, as URLs per page."""
    from django.utils import timezone

    from congvu.access import access
    from congvu.access.policy import Right
    from congvu.org.models import active_on
    from congvu.personnel.models import Person

    today = timezone.localdate()
    units = list(access.units_visible(user).filter(active_on(today)).order_by("pk").values_list("pk", flat=True))
    people = list(access.people_visible(user).order_by("pk").values_list("pk", flat=True))
    sample_units = rng.sample(units, min(len(units), 60))
    sample_people = rng.sample(people, min(len(people), 300))
    if access.scope_for(user, Right.READ_AUDIT).empty:  # only their own record's history
        own = Person.objects.filter(user=user).values_list("pk", flat=True).first()
        history = [own] if own is not None else []
    else:
        history = sample_people
    plan = UserPlan(user.username, password, token)
    plan.urls = {
        "home": ["/"],
        "org_tree": ["/to-chuc/"],
        "unit": [f"/don-vi/{pk}/" for pk in sample_units],
        "people_list": ["/can-bo/"],
        "people_search": [f"/can-bo/?q={urllib.parse.quote_plus(q)}" for q in SEARCHES],
        "people_page50": ["/can-bo/?sap_xep=nam_sinh&loai=civil_servant&trang=50",
                          "/can-bo/?sap_xep=-don_vi&gioi_tinh=F&trang=50"],
        "person": person_urls(sample_people),
        "person_history": person_urls(history, "?tab=lich-su"),
        "api_people_search": [f"/api/v1/people?q={urllib.parse.quote_plus(q)}&limit=25" for q in SEARCHES],
        "api_units": ["/api/v1/units?limit=50", "/api/v1/units?limit=50&offset=100"],
    }
    plan.urls = {page: urls for page, urls in plan.urls.items() if urls}
    return plan


def make_plans(seed: int) -> tuple[list[UserPlan], list[Any]]:
    """A plan per demo user, each with a fresh API token (revoked at the end); returns the token records."""
    from django.contrib.auth.models import User

    from congvu.access.tokens import create_token
    from congvu.demo.users import DEMO_USERS, demo_password

    rng = random.Random(seed)
    plans, records = [], []
    for _role, username, _where, _holder in DEMO_USERS:
        user = User.objects.get(username=username)
        issued = create_token(None, user, name="bench.web_pages",
                              expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
        records.append(issued.record)
        plans.append(targets_for(user, rng, issued.token, demo_password(seed, username)))
    return plans, records


def revoke(records: Sequence[Any]) -> None:
    from congvu.access.tokens import revoke_token

    for record in records:
        revoke_token(None, record)


# ---- queries per page ---------------------------------------------------------------------------------


def queries_per_page(plan: UserPlan) -> dict[str, dict[str, float]]:
    """For one request of each page, alone (warm caches, no other load): SQL statements, their time, and
    the whole request's time in-process (the best of three)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    client.force_login(User.objects.get(username=plan.username))
    out: dict[str, dict[str, float]] = {}
    for page, urls in plan.urls.items():
        headers = {"Authorization": f"Bearer {plan.token}"} if page.startswith("api_") else {}
        client.get(urls[0], headers=headers)
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                client.get(urls[0], headers=headers)
                times.append(time.perf_counter() - started)
        out[page] = {"queries": len(ctx.captured_queries),
                     "sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000, 1),
                     "alone_ms": round(min(times) * 1000, 1)}
    return out


# ---- the server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def serve_wsgiref(port: int, wsgi: str) -> None:
    """The standard library's WSGI server with one thread per request (run in a child process)."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    module, name = wsgi.split(":")
    application = getattr(importlib.import_module(module), name)

    class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 128

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

    make_server(HOST, port, application, ThreadingWSGIServer, QuietHandler).serve_forever()


def server_env(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG off) with a throw-away secret key."""
    return {**os.environ, "DATABASE_URL": database_url, "CONGVU_ENV": "production",
            "CONGVU_SECRET_KEY": secrets.token_urlsafe(48), "CONGVU_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "congvu.settings"}


def start_server(args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    if args.server == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", args.wsgi, "--bind", f"{HOST}:{port}",
                   "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
                   "--keep-alive", "10", "--backlog", "256", "--log-level", "warning"]
    else:
        command = [sys.executable, "-c", f"from bench.web_pages import serve_wsgiref; serve_wsgiref({port}, {args.wsgi!r})"]
    process = subprocess.Popen(command, env=server_env(args.database_url), cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start (exit {process.returncode})")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/dang-nhap/")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not answer within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# ---- the clients --------------------------------------------------------------------------------------

COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Sample:
    page: str
    started: float  # time.monotonic() when the request was sent
    ms: float
    status: int  # 0 for a connection error


class Browser:
    """One user: a keep-alive connection to the server, their cookies, their API token."""

    def __init__(self, port: int, plan: UserPlan):
        self.port, self.plan = port, plan
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, url: str, body: str | None = None, api: bool = False) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "vi"}
        if api:
            headers["Authorization"] = f"Bearer {self.plan.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # the server may close an idle keep-alive connection: reconnect once
            try:
                self.conn.request(method, url, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            match = COOKIE.match(header)
            if match:
                self.cookies[match.group(1)] = match.group(2)
        return response.status, data

    def log_in(self) -> None:
        status, page = self.request("GET", "/dang-nhap/")
        token = CSRF_FIELD.search(page.decode("utf-8"))
        if status != 200 or token is None:
            raise SystemExit(f"login page: HTTP {status}")
        form = urllib.parse.urlencode({"username": self.plan.username, "password": self.plan.password,
                                       "csrfmiddlewaretoken": token.group(1)})
        status, _ = self.request("POST", "/dang-nhap/", body=form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {self.plan.username}: HTTP {status} (wrong demo seed or locked out?)")


def client_loop(browser: Browser, rng: random.Random, think: float, deadline: float, budget: Callable[[], bool],
                samples: list[Sample]) -> None:
    pages = [p for p in MIX if p in browser.plan.urls]
    weights = [MIX[p] for p in pages]
    while time.monotonic() < deadline and budget():
        page = rng.choices(pages, weights)[0]
        url = rng.choice(browser.plan.urls[page])
        started = time.monotonic()
        try:
            status, _ = browser.request("GET", url, api=page.startswith("api_"))
        except (http.client.HTTPException, OSError):
            status = 0
        samples.append(Sample(page, started, (time.monotonic() - started) * 1000, status))
        if think > 0:
            time.sleep(max(0.0, min(rng.expovariate(1 / think), deadline - time.monotonic())))


def write_loop(per_minute: float, deadline: float, rng: random.Random, person_ids: Sequence[int],
               done: list[int]) -> None:
    """Edit random records as the HR user (audited, like any edit in the office) until ``deadline``."""
    from dataclasses import replace

    from django.contrib.auth.models import User
    from django.db import connection

    from congvu.access.access import write_scope
    from congvu.personnel import services
    from congvu.personnel.models import Person

    user = User.objects.get(username="tochuc")
    scope = write_scope(user)
    try:
        while True:
            time.sleep(max(0.0, min(rng.expovariate(per_minute / 60), deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                return
            person = Person.objects.get(pk=rng.choice(person_ids))
            data = services.PersonInput(**{name: getattr(person, name) for name in services.PERSON_FIELDS})
            services.update_person(user, scope, person.pk, replace(data, insured_months=person.insured_months + 1),
                                   expected_version=person.version, reason="bench.web_pages")
            done.append(person.pk)
    finally:
        connection.close()


@dataclass
class Window:
    """What was measured after the warm-up: the samples, the span, and the CPU each side spent in it."""

    samples: list[Sample]
    seconds: float
    cpu_seconds: dict[str, float]  # "server" (all its processes), "postgres" (its backends), "clients"
    load_average: tuple[float, float, float]  # of the whole machine at the end (others' work shows here)
    writes: int  # audited edits made meanwhile (warm-up included)


def _proc_stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, from /proc (Linux)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # fields[0] is the state, the 3rd field of the file
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_snapshot(server_pid: int, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the server's processes and of the PostgreSQL backends serving ``database``."""
    server: dict[int, float] = {}
    postgres: dict[int, float] = {}
    stats = {pid: _proc_stat(pid) for pid in os.listdir("/proc") if pid.isdigit()} if Path("/proc").is_dir() else {}
    for pid, stat in stats.items():
        if stat is None:
            continue
        if int(pid) == server_pid or stat[0] == server_pid:
            server[int(pid)] = stat[1]
            continue
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            postgres[int(pid)] = stat[1]
    return {"server": server, "postgres": postgres}


def cpu_spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    return {side: round(sum(cpu - before[side].get(pid, 0.0) for pid, cpu in after[side].items()), 2)
            for side in after}


def run_load(args: argparse.Namespace, port: int, plans: Sequence[UserPlan], server_pid: int) -> Window:
    """Log every client in, run them together for the warm-up and the measured span."""
    browsers = [Browser(port, plans[i % len(plans)]) for i in range(args.users)]
    logins = [threading.Thread(target=b.log_in) for b in browsers]
    for t in logins:
        t.start()
    for t in logins:
        t.join()
    counter = itertools.count()
    samples: list[Sample] = []  # list.append is atomic under the GIL
    start = time.monotonic()
    measure_from, deadline = start + args.warmup, start + args.warmup + args.duration
    threads = [
        threading.Thread(target=client_loop, args=(
            b, random.Random(f"{args.seed}-{i}"), args.think, deadline,
            lambda: next(counter) < args.max_requests, samples))
        for i, b in enumerate(browsers)
    ]
    writes: list[int] = []
    hr = next(p for p in plans if p.username == "tochuc")
    if args.writes_per_minute > 0:
        people = [int(url.split("/")[2]) for url in hr.urls["person"]]
        threads.append(threading.Thread(target=write_loop, args=(
            args.writes_per_minute, deadline, random.Random(f"{args.seed}-writes"), people, writes)))
    for t in threads:
        t.start()
    database = urllib.parse.urlparse(args.database_url).path.lstrip("/")
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu_before, clients_before = cpu_snapshot(server_pid, database), time.process_time()
    for t in threads:
        t.join()
    cpu = cpu_spent(cpu_before, cpu_snapshot(server_pid, database))
    cpu["clients"] = round(time.process_time() - clients_before, 2)
    end = max((s.started + s.ms / 1000 for s in samples), default=deadline)
    measured = [s for s in samples if s.started >= measure_from]
    return Window(measured, end - measure_from, cpu, os.getloadavg(), len(writes))


# ---- figures ------------------------------------------------------------------------------------------


def percentile(sorted_ms: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_ms:
        return 0.0
    rank = max(1, min(len(sorted_ms), round(q / 100 * len(sorted_ms) + 0.5)))
    return sorted_ms[rank - 1]


def summarise(samples: Sequence[Sample]) -> dict[str, Any]:
    ms = sorted(s.ms for s in samples)
    return {
        "count": len(samples), "errors": sum(1 for s in samples if s.status != 200),
        "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(ms[-1], 1) if ms else 0.0,
        "mean_ms": round(sum(ms) / len(ms), 1) if ms else 0.0,
    }


def per_page(samples: Sequence[Sample]) -> dict[str, dict[str, Any]]:
    return {page: summarise([s for s in samples if s.page == page]) for page in MIX
            if any(s.page == page for s in samples)}


def table(pages: dict[str, dict[str, Any]], queries: dict[str, dict[str, float]]) -> str:
    lines = [f"{'page':20} {'count':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'SQL':>4} "
             f"{'SQL ms':>7} {'alone':>7}"]
    for page, f in pages.items():
        q = queries.get(page, {})
        lines.append(f"{page:20} {f['count']:>6} {f['errors']:>4} {f['p50_ms']:>7.1f} {f['p95_ms']:>7.1f} "
                     f"{f['p99_ms']:>7.1f} {f['max_ms']:>7.1f} {q.get('queries', 0):>4.0f} {q.get('sql_ms', 0):>7.1f} "
                     f"{q.get('alone_ms', 0):>7.1f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    os.environ.setdefault("CONGVU_DEBUG", "false")  # in-process figures with the server's settings
    setup_django(args.database_url)
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The bar is for PostgreSQL: pass --database-url postgres://…")
    timer = Timer()
    how = prepare_database(args, timer)
    plans, tokens = make_plans(args.seed)
    importlib.import_module(args.wsgi.split(":")[0])  # the same code in-process as in the server
    hr_plan = next(p for p in plans if p.username == "tochuc")
    with timer("queries"):
        queries = queries_per_page(hr_plan)
    connection.close()
    port = args.port or free_port()
    server = start_server(args, port)
    try:
        with timer("load"):
            window = run_load(args, port, plans, server.pid)
    finally:
        stop_server(server)
        revoke(tokens)
    return report(args, timer, how, window, queries)


def report(args: argparse.Namespace, timer: Timer, how: str, window: Window,
           queries: dict[str, dict[str, float]]) -> dict[str, Any]:
    pages = per_page(window.samples)
    overall = summarise(window.samples)
    slow = [p for p, f in pages.items() if f["p95_ms"] >= BAR_P95_MS]
    server = (f"gunicorn gthread {args.workers}×{args.threads}" if args.server == "gunicorn"
              else "wsgiref thread-per-request")
    n = overall["count"] or 1
    cpu_ms = {side: round(seconds * 1000 / n, 1) for side, seconds in window.cpu_seconds.items()}
    data = {
        "benchmark": "web_pages", "database": database_label(), "people": args.people, "database_was": how,
        "server": server, "wsgi": args.wsgi, "users": args.users, "think_s": args.think,
        "duration_s": args.duration, "warmup_s": args.warmup, "seed": args.seed, "seconds": timer.rounded(),
        "writes": window.writes,
        "throughput_rps": round(overall["count"] / window.seconds, 1) if window.seconds > 0 else None,
        "overall": overall, "pages": pages, "cpu_seconds": window.cpu_seconds, "cpu_ms_per_request": cpu_ms,
        "load_average_at_end": [round(x, 2) for x in window.load_average],
        "queries_per_page_hr": queries, "bar_p95_ms": BAR_P95_MS, "pages_over_bar": slow,
    }
    print(table(pages, queries))
    line = (f"web_pages: {args.people:,} people on {data['database']}, {server}"
            f"{'' if args.wsgi == 'congvu.wsgi:application' else ' (' + args.wsgi + ')'}, {args.users} users, "
            f"think {args.think:g} s, {window.writes} audited edits: {overall['count']:,} requests, "
            f"{data['throughput_rps']} req/s, overall p50 "
            f"{overall['p50_ms']} / p95 {overall['p95_ms']} / p99 {overall['p99_ms']} ms, {overall['errors']} errors; "
            f"CPU per request: server {cpu_ms.get('server')} ms, PostgreSQL {cpu_ms.get('postgres')} ms, "
            f"clients {cpu_ms.get('clients')} ms; load average {window.load_average[0]:.1f}; "
            f"p95 ≥ {BAR_P95_MS:.0f} ms: {', '.join(slow) or 'none'}")
    name = f"web_pages_{args.people}_u{args.users}_t{args.think:g}" + (f"_{args.label}" if args.label else "")
    write_result(name, data, line)
    print(line)
    return data


if __name__ == "__main__":
    main()

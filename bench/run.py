"""The benchmark: server time, queries, throughput and memory at 10,000 and
100,000 stories on PostgreSQL.

    make bench            # or: .venv/bin/python bench/run.py [--sizes 10000 100000]

For each size it builds (or reuses, when the story count matches) a database
p2s_bench_<size>, filled by `manage.py generate_stories --seed 1`; measures
each page in-process (bench/measure.py: median and p95 over --requests
requests, and the query count) for a visitor and a signed-in member; then
serves the site with gunicorn (production settings, DEBUG off, the project's
p2s/gunicorn.py with 2 sync workers) and loads it with wrk, against a one-view
Django "hello world" on the same gunicorn settings as the ceiling; and reads a
worker's resident memory.
The Markdown report is printed and written to bench/results/<date>.md.

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432,
a role that may create databases) and wrk (apt-get install wrk).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED = 1
PORT = 8765
TARGETS = {"page_p95_ms": 50, "search_p95_ms": 100, "queries": 10, "rss_mb": 120,
           "member_share": 15, "anonymous_share": 50}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--duration", default="10s", help="wrk's -d")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn/wrk")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the slowest page"
    )
    parser.add_argument("--output", type=Path, help="default bench/results/<date>.md")
    args = parser.parse_args()
    server = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"
    ).rstrip("/")
    load = not args.no_load
    if load and not shutil.which("wrk"):
        sys.exit("wrk is needed for the load test: apt-get install wrk")

    load_before = os.getloadavg()
    # the production settings name static files by a manifest of their hashes
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(f"{server}/postgres"),
        check=True,
    )
    runs = []
    for size in args.sizes:
        url = database(server, size)
        print(f"== {size:,} stories: in-process timings", file=sys.stderr)
        measured = measure(url, args.requests, args.profile)
        if load:
            print(f"== {size:,} stories: gunicorn + wrk", file=sys.stderr)
            measured["load"] = throughput(url, measured, args.duration)
        runs.append((size, measured))
    hello = None
    if load:
        print("== hello world ceiling", file=sys.stderr)
        with gunicorn("bench.hello.wsgi:application", {}) as _:
            hello = wrk("/", args.duration)
    args.load = (load_before, os.getloadavg())
    report = markdown(runs, hello, args)
    print(report)
    out = args.output or ROOT / "bench" / "results" / f"{date.today().isoformat()}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report)
    print(f"Written to {out}", file=sys.stderr)


# Databases ----------------------------------------------------------------------


def database(server, size):
    """The URL of a migrated database holding exactly `size` generated stories."""
    name = f"p2s_bench_{size // 1000}k" if size % 1000 == 0 else f"p2s_bench_{size}"
    url = f"{server}/{name}"
    if story_count(url) == size:
        print(f"== {name}: reusing {size:,} stories", file=sys.stderr)
        if manage(url, "migrate", "--check", "-v0", check=False).returncode != 0:
            manage(url, "migrate", "--noinput", "-v0")
        if stale_search_vectors(url):
            print("   refreshing search vectors", file=sys.stderr)
            manage(url, "shell", "-c", REFRESH_SEARCH, check=False)
    else:
        print(f"== {name}: building with {size:,} stories", file=sys.stderr)
        admin(server, f'DROP DATABASE IF EXISTS "{name}"')
        admin(server, f'CREATE DATABASE "{name}"')
        manage(url, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        # a failure after the stories are in (their search vectors) is retried
        # by the next run, as stale vectors
        manage(url, "generate_stories", "--count", str(size), "--seed", str(SEED),
               check=False)  # fmt: skip
        print(f"   generated in {time.monotonic() - started:.0f} s", file=sys.stderr)
        if story_count(url) != size:
            sys.exit(f"{name}: generating {size:,} stories failed")
    admin(url, "VACUUM ANALYZE")  # as autovacuum would, soon after a bulk load
    return url


REFRESH_SEARCH = "from stories.search import refresh_search_vectors as r; r()"


def story_count(url):
    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM stories_story")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return None


def stale_search_vectors(url):
    """Whether stories lack the stored search vector (if the schema has one):
    a migration added it, or a refresh failed."""
    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM stories_story "
                "WHERE search_vector IS NULL)"
            )
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return False


def admin(url, sql):
    """Run `sql` outside a transaction; a bare server URL means its postgres DB."""
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        url = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def manage(url, *command, check=True):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    env["DJANGO_SETTINGS_MODULE"] = "p2s.settings.dev"
    return subprocess.run(  # its output goes to stderr, beside the progress
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=check,
        stdout=sys.stderr,
    )  # fmt: skip


# Measuring ------------------------------------------------------------------------


def production_env(url):
    """Production settings, with what they insist on supplied for a local run:
    plain HTTP (no redirect to HTTPS, no HSTS) is the only relaxation."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


def measure(url, requests, profile):
    command = [PYTHON, "bench/measure.py", "--requests", str(requests)]
    if profile:
        command.append("--profile")
    done = subprocess.run(
        command, cwd=ROOT, env=production_env(url), check=True, stdout=subprocess.PIPE
    )
    return json.loads(done.stdout)


def throughput(url, measured, duration):
    cookie = f"sessionid={measured['session_key']}"
    targets = [("browse", "/stories/"), ("story", measured["story_url"])]
    results = {}
    with gunicorn("p2s.wsgi:application", production_env(url)) as master:
        for name, path in targets:
            for viewer, headers in [("anonymous", []), ("member", [cookie])]:
                results[f"{name}/{viewer}"] = wrk(path, duration, headers)
        results["rss_mb"] = max(rss_mb(pid) for pid in workers(master.pid))
    return results


class gunicorn:
    """gunicorn with the project's settings (p2s/gunicorn.py, as `make serve`
    and production use), 2 sync workers on 127.0.0.1:PORT, for a `with` block."""

    def __init__(self, app, env):
        self.command = [
            str(Path(PYTHON).parent / "gunicorn"), app,
            "--config", "p2s/gunicorn.py", "--log-level", "warning",
        ]  # fmt: skip
        self.env = {**(env or os.environ), "WEB_CONCURRENCY": "2",
                    "BIND": f"127.0.0.1:{PORT}"}  # fmt: skip
        # without REDIS_URL: each worker's own cache, measured on purpose
        # (p2s/gunicorn.py refuses it otherwise: not for production)
        self.env.setdefault("ALLOW_UNSHARED_CACHE", "1")

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        return self.process

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(path, duration, cookies=()):
    """Requests per second, and how many answers were not 2xx/3xx."""
    # a generous timeout, so that slow answers count in the rate and latency
    command = ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", "--timeout", "30s"]
    for cookie in cookies:
        command += ["-H", f"Cookie: {cookie}"]
    check = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
    for cookie in cookies:
        check.add_header("Cookie", cookie)
    with urllib.request.urlopen(check, timeout=30) as response:
        assert response.status == 200, (path, response.status)
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: .*timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": latency(out, "50%"),
        "p99_ms": latency(out, "99%"),
        "errors": (int(errors[1]) if errors else 0) + (int(socket[1]) if socket else 0),
    }


def latency(out, percentile):
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\b", out, re.M)
    value, unit = float(match[1]), match[2]
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def workers(master):
    """The pids of the gunicorn master's children."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)[1]) / 1024


# The report -----------------------------------------------------------------------


def markdown(runs, hello, args):
    sizes = [size for size, _ in runs]
    lines = [
        f"# Benchmark, {date.today().isoformat()}",
        "",
        machine(),
        "",
        "Load average (1, 5, 15 min) before the run: "
        + ", ".join(f"{n:.1f}" for n in args.load[0])
        + "; after: "
        + ", ".join(f"{n:.1f}" for n in args.load[1])
        + " (more than the run's own 1 to 2 means something else shared the "
        "machine).",
        "",
        f"## Server time and queries ({args.requests} requests in-process, "
        "after 3 to warm up)",
        "",
        "*first*: the first request, before any cache has the page; *median* "
        f"and *p95* of the {args.requests} after warming up.",
        "",
        "| page | viewer | "
        + " | ".join(f"{size:,}: first ms | median | p95 | queries" for size in sizes)
        + " |",
        "|---|---|" + "---:|---:|---:|---:|" * len(sizes),
    ]
    over = []
    first = runs[0][1]["pages"]
    for index, row in enumerate(first):
        cells = []
        for size, measured in runs:
            page = measured["pages"][index]
            kind = "search_p95_ms" if "search" in page["page"] else "page_p95_ms"
            limit = TARGETS[kind]
            slow = page["p95_ms"] > limit
            many = page["queries"] > TARGETS["queries"]
            where = f"{page['page']} ({page['viewer']}, {size:,})"
            if slow:
                over.append(f"{where}: p95 {page['p95_ms']:.0f} ms > {limit} ms")
            if many:
                over.append(f"{where}: {page['queries']} queries")
            if page["status"] != 200:
                over.append(f"{where}: status {page['status']}")
            cells += [
                f"{page['first_ms']:.0f}",
                f"{page['median_ms']:.1f}",
                f"**{page['p95_ms']:.1f}**" if slow else f"{page['p95_ms']:.1f}",
                f"**{page['queries']}**" if many else str(page["queries"]),
            ]
        lines.append(f"| {row['page']} | {row['viewer']} | " + " | ".join(cells) + " |")
    if hello:
        lines += load_table(runs, hello, args, over)
    for size, measured in runs:
        if measured.get("without_search_vector"):
            over.append(
                f"search at {size:,}: {measured['without_search_vector']:,} stories "
                "have no search vector, so the search numbers mean little"
            )
    lines += ["", "## Over target", ""]
    lines += [f"- {item}" for item in over] or ["- nothing"]
    lines += slowest_queries(runs)
    for size, measured in runs:
        if "profile" in measured:
            profile = measured["profile"]
            lines += [
                "",
                f"## Profile of the slowest page at {size:,}: {profile['page']} "
                f"({profile['viewer']}, `{profile['url']}`), 5 requests",
                "",
                "```",
                profile["stats"].strip(),
                "```",
            ]
    return "\n".join(lines) + "\n"


def load_table(runs, hello, args, over):
    sizes = [size for size, _ in runs]
    lines = [
        "",
        f"## Throughput (gunicorn, 2 sync workers; wrk -t2 -c16 -d{args.duration})",
        "",
        f"Hello-world ceiling: **{hello['rps']:.0f} req/s** "
        f"(p50 {hello['p50_ms']:.1f} ms).",
        "",
        "| page | viewer | "
        + " | ".join(
            f"{size:,}: req/s | % of hello | p50 ms | p99 ms" for size in sizes
        )
        + " |",
        "|---|---|" + "---:|---:|---:|---:|" * len(sizes),
    ]
    for key in runs[0][1]["load"]:
        if key == "rss_mb":
            continue
        page, viewer = key.split("/")
        target = TARGETS["member_share" if viewer == "member" else "anonymous_share"]
        cells = []
        for size, measured in runs:
            result = measured["load"][key]
            share = 100 * result["rps"] / hello["rps"]
            where = f"throughput {page} ({viewer}, {size:,})"
            if share < target:
                over.append(f"{where}: {share:.0f} % of hello world < {target} %")
            if result["errors"]:
                over.append(f"{where}: {result['errors']} non-2xx answers or timeouts")
            cells += [
                f"{result['rps']:.0f}",
                f"**{share:.0f} %**" if share < target else f"{share:.0f} %",
                f"{result['p50_ms']:.0f}",
                f"{result['p99_ms']:.0f}",
            ]
        lines.append(f"| {page} | {viewer} | " + " | ".join(cells) + " |")
    lines += ["", "| stories | gunicorn worker RSS after the run |", "|---|---:|"]
    for size, measured in runs:
        rss = measured["load"]["rss_mb"]
        if rss >= TARGETS["rss_mb"]:
            over.append(f"worker RSS at {size:,}: {rss:.0f} MB")
        lines.append(f"| {size:,} | {rss:.0f} MB |")
    return lines


def slowest_queries(runs):
    size, measured = runs[-1]
    slowest = max(measured["pages"], key=lambda page: page["p95_ms"])
    lines = [
        "",
        f"## Slowest queries of the slowest page at {size:,}: {slowest['page']} "
        f"({slowest['viewer']}), {slowest['queries']} queries, "
        f"{slowest['query_ms']:.0f} ms in the database",
        "",
    ]
    for query in slowest["slowest_queries"]:
        lines += [f"- {query['ms']:.1f} ms:", "", "  ```sql", f"  {query['sql']}"]
        lines += ["  ```", ""]
    return lines


def machine():
    cores = os.cpu_count()
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    cpu = re.search(r"model name\s+:\s+(.*)", Path("/proc/cpuinfo").read_text())
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    try:
        with psycopg2.connect(url.rstrip("/") + "/postgres") as conn:
            with conn.cursor() as cursor:
                cursor.execute("SHOW server_version")
                pg = cursor.fetchone()[0]
    except psycopg2.Error:
        pg = "?"
    revision = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (
        f"Code: {revision or '?'}. Machine: {cores} cores ({cpu[1] if cpu else '?'}), "
        f"{int(memory[1]) / 1024 / 1024:.0f} GB RAM; Python "
        f"{sys.version.split()[0]}; PostgreSQL {pg} on the same machine; wrk, "
        "gunicorn and PostgreSQL share the cores."
    )


if __name__ == "__main__":
    main()

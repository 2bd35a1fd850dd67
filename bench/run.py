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

    .venv/bin/python bench/run.py --before 255447b

also measures the code at a revision, before this working tree's ("after"),
in the same run and on the same databases: the revision is checked out in a
temporary git worktree, run by this Python when it has every runtime
dependency the revision's pyproject.toml names, else by a venv made there
(`pip install -e '.[dev]'`). The after code migrates the databases (the before
code ignores the tables it doesn't know); both get `createcachetable`. For each
size the before code is measured first, in-process and then under gunicorn and
wrk, then the after code, each by this bench/measure.py in a process of its
own that imports its tree's code. The report puts the two side by side, with
one hello-world ceiling, and checks the targets on the after code.

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432,
a role that may create databases) and wrk (apt-get install wrk).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED = 1
PORT = 8765
TARGETS = {"page_p95_ms": 50, "search_p95_ms": 100, "queries": 10, "rss_mb": 120,
           "member_share": 12, "anonymous_share": 50,
           # the first (uncached) request of the one-word search, from 100,000
           "first_search_ms": 200}  # fmt: skip
FIRST_SEARCH = ("search, 1 word", 100_000)  # the page, and from what size
# loaded as well, with no target: /robots.txt, which reads nothing of the
# library, is what any request of that viewer costs before its page (for a
# member: the session, the account, the middleware)
FLOOR = ("robots.txt", "/robots.txt")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--duration", default="10s", help="wrk's -d")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn/wrk")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the slowest page"
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also measure the code at REV (a temporary git worktree), side by side",
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
    started = time.monotonic()
    with ExitStack() as stack:
        after = Code(ROOT, PYTHON, revision(ROOT))
        trees = {"after": after}
        if args.before:
            trees = {"before": stack.enter_context(worktree(args.before)), **trees}
        for code in trees.values():
            # the production settings name static files by a manifest of their
            # hashes
            code.run("manage.py", "collectstatic", "--noinput", "-v0",
                     env=code.env(f"{server}/postgres"))  # fmt: skip
        runs = []
        for size in args.sizes:
            url = database(server, size, after)
            measured = {}
            for name, code in trees.items():
                # a database cache's table, if this tree's production settings
                # name one the after code's didn't make
                code.run("manage.py", "createcachetable", "-v0", env=code.env(url))
                where = f"{size:,} stories" + (f", {code.label}" if args.before else "")
                print(f"== {where}: in-process timings", file=sys.stderr)
                measured[name] = measure(code, url, args.requests, args.profile)
                if load:
                    print(f"== {where}: gunicorn + wrk", file=sys.stderr)
                    measured[name]["load"] = throughput(
                        code, url, measured[name], args.duration
                    )
            runs.append((size, measured))
        hello = None
        if load:
            print("== hello world ceiling", file=sys.stderr)
            with gunicorn(after, "bench.hello.wsgi:application", dict(os.environ)):
                hello = wrk("/", args.duration)
    args.load = (load_before, os.getloadavg())
    args.minutes = (time.monotonic() - started) / 60
    report = markdown(runs, hello, trees, args)
    print(report)
    out = args.output or ROOT / "bench" / "results" / f"{date.today().isoformat()}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report)
    print(f"Written to {out} ({args.minutes:.0f} min)", file=sys.stderr)


# The code measured ------------------------------------------------------------------


@dataclass
class Code:
    """A tree of the project's code and the Python that runs it: this working
    tree (the after code), or --before's worktree."""

    root: Path
    python: str
    label: str  # its revision, as the report names it
    settings: dict = field(default_factory=dict)  # over production_env's

    def env(self, url):
        return {**production_env(url), **self.settings}

    def run(self, *command, env, check=True):
        return subprocess.run(  # its output goes to stderr, beside the progress
            [self.python, *command], cwd=self.root, env=env, check=check,
            stdout=sys.stderr,
        )  # fmt: skip


@contextmanager
def worktree(rev):
    """The code at `rev`, checked out in a temporary git worktree (removed
    after the run), with the Python that can run it."""
    place = Path(tempfile.mkdtemp(prefix="p2s-bench-before-"))
    tree = place / "code"
    print(f"== {rev}: checking out in {tree}", file=sys.stderr)
    added = subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), rev],
        cwd=ROOT,
        stdout=sys.stderr,
    )
    if added.returncode != 0:
        shutil.rmtree(place, ignore_errors=True)
        sys.exit(f"--before {rev}: git could not check it out")
    try:
        label = revision(tree)  # before the copy below makes it "-dirty"
        if has_dependencies(tree / "pyproject.toml"):
            python = PYTHON
        else:
            print(f"   {rev} needs other packages: a venv for it", file=sys.stderr)
            python = venv(tree)
        # the same measurements for both: this measure.py, on the tree's code
        (tree / "bench").mkdir(exist_ok=True)
        shutil.copy(ROOT / "bench" / "measure.py", tree / "bench" / "measure.py")
        yield Code(
            tree,
            python,
            label,
            # its own collected static files, even where STATIC_ROOT is set
            settings={"STATIC_ROOT": str(tree / "staticfiles")},
        )
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
        )
        shutil.rmtree(place, ignore_errors=True)


def has_dependencies(pyproject):
    """Whether this Python has each runtime dependency that `pyproject` names,
    at a version it allows."""
    project = tomllib.loads(pyproject.read_text())["project"]
    for line in project.get("dependencies", []):
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False
        if not requirement.specifier.contains(installed, prereleases=True):
            return False
    return True


def venv(tree):
    """A venv in `tree` with its project and dev dependencies; its Python."""
    # the Python this venv was made from: the version the project requires
    base = getattr(sys, "_base_executable", None) or shutil.which("python3")
    subprocess.run([base, "-m", "venv", str(tree / ".venv")], check=True)
    python = str(tree / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-e", ".[dev]"],
        cwd=tree,
        check=True,
        stdout=sys.stderr,
    )
    return python


def revision(root):
    return (
        subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
        or "?"
    )


# Databases ----------------------------------------------------------------------


def database(server, size, code):
    """The URL of a database holding exactly `size` generated stories, migrated
    by `code`."""
    name = f"p2s_bench_{size // 1000}k" if size % 1000 == 0 else f"p2s_bench_{size}"
    url = f"{server}/{name}"
    rewritten = False
    if story_count(url) == size:
        print(f"== {name}: reusing {size:,} stories", file=sys.stderr)
        if manage(code, url, "migrate", "--check", "-v0", check=False).returncode:
            manage(code, url, "migrate", "--noinput", "-v0")
            rewritten = True
        manage(code, url, "createcachetable", "-v0")
        if stale_search_vectors(url):
            print("   refreshing search vectors", file=sys.stderr)
            manage(code, url, "shell", "-c", REFRESH_SEARCH, check=False)
            rewritten = True
    else:
        print(f"== {name}: building with {size:,} stories", file=sys.stderr)
        admin(server, f'DROP DATABASE IF EXISTS "{name}"')
        admin(server, f'CREATE DATABASE "{name}"')
        manage(code, url, "migrate", "--noinput", "-v0")
        # a database cache's table, before generate_stories writes to the cache
        manage(code, url, "createcachetable", "-v0")
        started = time.monotonic()
        # a failure after the stories are in (their search vectors) is retried
        # by the next run, as stale vectors
        manage(code, url, "generate_stories", "--count", str(size),
               "--seed", str(SEED), check=False)  # fmt: skip
        print(f"   generated in {time.monotonic() - started:.0f} s", file=sys.stderr)
        if story_count(url) != size:
            sys.exit(f"{name}: generating {size:,} stories failed")
        rewritten = True
    if rewritten:
        # the bulk load (its search vectors are written by a second UPDATE of
        # every row) or a migration that filled a column left half the table's
        # pages empty, which a library grown story by story doesn't have:
        # compacted, as an operator would after a bulk load (docs/deploy.md)
        print("   compacting (VACUUM FULL)", file=sys.stderr)
        admin(url, "VACUUM FULL ANALYZE")
    else:
        admin(url, "VACUUM ANALYZE")  # as autovacuum would
    return url


REFRESH_SEARCH = "from discovery.search import refresh_search_vectors as r; r()"


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


def manage(code, url, *command, check=True):
    """A management command with the development settings (DEBUG off)."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    env["DJANGO_SETTINGS_MODULE"] = "p2s.settings.dev"
    return code.run("manage.py", *command, env=env, check=check)


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


def measure(code, url, requests, profile):
    """bench/measure.py in a process of its own, so that it imports `code`'s
    tree."""
    command = [code.python, "bench/measure.py", "--requests", str(requests)]
    if profile:
        command.append("--profile")
    done = subprocess.run(
        command, cwd=code.root, env=code.env(url), check=True, stdout=subprocess.PIPE
    )
    return json.loads(done.stdout)


def throughput(code, url, measured, duration):
    cookie = f"sessionid={measured['session_key']}"
    targets = [("browse", "/stories/"), ("story", measured["story_url"]), FLOOR]
    results = {}
    with gunicorn(code, "p2s.wsgi:application", code.env(url)) as master:
        for name, path in targets:
            for viewer, headers in [("anonymous", []), ("member", [cookie])]:
                results[f"{name}/{viewer}"] = wrk(path, duration, headers)
        results["rss_mb"] = max(rss_mb(pid) for pid in workers(master.pid))
    return results


class gunicorn:
    """gunicorn with the settings of `code` (its p2s/gunicorn.py, as `make
    serve` and production use), 2 sync workers on 127.0.0.1:PORT, for a `with`
    block."""

    def __init__(self, code, app, env):
        self.code = code
        self.command = [
            str(Path(code.python).parent / "gunicorn"), app,
            "--config", "p2s/gunicorn.py", "--log-level", "warning",
        ]  # fmt: skip
        self.env = {**env, "WEB_CONCURRENCY": "2", "BIND": f"127.0.0.1:{PORT}"}
        # without a shared cache: each worker's own, measured on purpose
        # (p2s/gunicorn.py refuses it otherwise: not for production)
        self.env.setdefault("ALLOW_UNSHARED_CACHE", "1")

    def __enter__(self):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                sys.exit(f"something already answers on port {PORT}: not measuring it")
        self.process = subprocess.Popen(self.command, cwd=self.code.root, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn ({self.code.label}) stopped as it started")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        return self.process

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(path, duration, cookies=(), port=PORT):
    """Requests per second, and how many answers were not 2xx/3xx."""
    # a generous timeout, so that slow answers count in the rate and latency
    command = ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", "--timeout", "30s"]
    for cookie in cookies:
        command += ["-H", f"Cookie: {cookie}"]
    check = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    for cookie in cookies:
        check.add_header("Cookie", cookie)
    with urllib.request.urlopen(check, timeout=30) as response:
        assert response.status == 200, (path, response.status)
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
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

PAGE_COLUMNS = {"first_ms": "first ms", "median_ms": "median", "p95_ms": "p95",
                "queries": "queries"}  # fmt: skip
LOAD_COLUMNS = {"rps": "req/s", "share": "% of hello", "p50_ms": "p50 ms",
                "p99_ms": "p99 ms"}  # fmt: skip


def markdown(runs, hello, trees, args):
    compare = "before" in trees
    over, failures = [], []  # the after code's; the before code's errors
    lines = [
        f"# Benchmark, {date.today().isoformat()}",
        "",
        machine(trees),
        "",
        "Load average (1, 5, 15 min) before the run: "
        + ", ".join(f"{n:.1f}" for n in args.load[0])
        + "; after: "
        + ", ".join(f"{n:.1f}" for n in args.load[1])
        + " (more than the run's own 1 to 2 means something else shared the "
        f"machine). The run took {args.minutes:.0f} min.",
    ]
    if compare:
        before = trees["before"]
        python = (
            "run by the same Python"
            if before.python == PYTHON
            else "with a venv of its own"
        )
        lines += [
            "",
            f"**before**: `{before.label}` (`--before {args.before}`, checked out "
            f"in a temporary worktree, {python}); **after**: "
            f"`{trees['after'].label}`, this working tree. Both measured by the "
            "same bench/measure.py on the same databases, migrated by the after "
            "code; at each size the before code first. The targets are checked "
            "on the after code.",
        ]
    lines += [
        "",
        f"## Server time and queries ({args.requests} requests in-process, "
        "after 3 to warm up)",
        "",
        "*first*: the first request, before any cache has the page; *median* "
        f"and *p95* of the {args.requests} after warming up.",
    ]
    rows = [(page["page"], page["viewer"]) for page in runs[0][1]["after"]["pages"]]
    tables = []  # (heading, [(group, cells of each row)])
    for size, measured in runs:
        groups = []
        for name in trees:
            cells = []
            for page in measured[name]["pages"]:
                where = f"{page['page']} ({page['viewer']}, {size:,})"
                found = page_over(page, size)
                if name == "after":
                    over += [f"{where}: {why}" for why in found.values()]
                elif "status" in found:
                    failures.append(f"{where}: {found['status']}")
                cells.append(page_cells(page, found if name == "after" else {}))
            groups.append((name if compare else f"{size:,}", cells))
        tables.append((f"{size:,} stories", groups))
    lines += tabulate(rows, tables, PAGE_COLUMNS, compare)
    if hello:
        lines += load_tables(runs, hello, trees, args, over, failures)
    for size, measured in runs:
        if measured["after"].get("without_search_vector"):
            over.append(
                f"search at {size:,}: "
                f"{measured['after']['without_search_vector']:,} stories "
                "have no search vector, so the search numbers mean little"
            )
    lines += ["", "## Over target", ""]
    lines += [f"- {item}" for item in over] or ["- nothing"]
    if failures:
        lines += ["", "## Errors of the before code", ""]
        lines += [f"- {item}" for item in failures]
    lines += slowest_queries(runs)
    for size, measured in runs:
        for name, code in trees.items():
            if "profile" not in measured[name]:
                continue
            profile = measured[name]["profile"]
            lines += [
                "",
                f"## Profile of the slowest page at {size:,}"
                + (f", {name} ({code.label})" if compare else "")
                + f": {profile['page']} ({profile['viewer']}, `{profile['url']}`), "
                "5 requests",
                "",
                "```",
                profile["stats"].strip(),
                "```",
            ]
    return "\n".join(lines) + "\n"


def tabulate(rows, tables, columns, compare):
    """One table with a group of columns per size; or, comparing, one table per
    size where each column has the before and after side by side."""
    if not compare:
        groups = [group for _, size_groups in tables for group in size_groups]
        return [""] + table(rows, groups, columns)
    lines = []
    for heading, groups in tables:
        lines += ["", f"### {heading}", ""] + table(rows, groups, columns, True)
    return lines


def table(rows, groups, columns, by_column=False):
    """A Markdown table with a row per (page, viewer) of `rows`. `groups` are
    (heading, cells), cells[row][column] the text of a cell, and `columns`
    name the columns: each group's columns side by side, or (by_column) each
    column's groups."""
    if by_column:
        order = [(column, g) for column in columns for g in range(len(groups))]
        heads = [
            f"{columns[column]}: {groups[g][0]}" if g == 0 else groups[g][0]
            for column, g in order
        ]
    else:
        order = [(column, g) for g in range(len(groups)) for column in columns]
        first = next(iter(columns))
        heads = [
            f"{groups[g][0]}: {columns[column]}" if column == first else columns[column]
            for column, g in order
        ]
    lines = [
        "| page | viewer | " + " | ".join(heads) + " |",
        "|---|---|" + "---:|" * len(order),
    ]
    for index, (page, viewer) in enumerate(rows):
        cells = [groups[g][1][index][column] for column, g in order]
        lines.append(f"| {page} | {viewer} | " + " | ".join(cells) + " |")
    return lines


def bold(text, over):
    return f"**{text}**" if over else text


def page_over(page, size):
    """Which of a page's numbers are over target, and why: {column: why}."""
    kind = "search_p95_ms" if "search" in page["page"] else "page_p95_ms"
    found = {}
    if page["p95_ms"] > TARGETS[kind]:
        found["p95_ms"] = f"p95 {page['p95_ms']:.0f} ms > {TARGETS[kind]} ms"
    if page["queries"] > TARGETS["queries"]:
        found["queries"] = f"{page['queries']} queries"
    name, from_size = FIRST_SEARCH
    limit = TARGETS["first_search_ms"]
    if page["page"] == name and size >= from_size and page["first_ms"] > limit:
        found["first_ms"] = f"first request {page['first_ms']:.0f} ms > {limit} ms"
    if page["status"] != 200:
        found["status"] = f"status {page['status']}"
    return found


def page_cells(page, over):
    return {
        "first_ms": bold(f"{page['first_ms']:.0f}", "first_ms" in over),
        "median_ms": f"{page['median_ms']:.1f}",
        "p95_ms": bold(f"{page['p95_ms']:.1f}", "p95_ms" in over),
        "queries": bold(str(page["queries"]), "queries" in over),
    }


def load_tables(runs, hello, trees, args, over, failures):
    compare = "before" in trees
    lines = [
        "",
        f"## Throughput (gunicorn, 2 sync workers; wrk -t2 -c16 -d{args.duration})",
        "",
        f"Hello-world ceiling: **{hello['rps']:.0f} req/s** "
        f"(p50 {hello['p50_ms']:.1f} ms)"
        + (", measured once, with the after code's Python." if compare else "."),
    ]
    keys = [key for key in runs[0][1]["after"]["load"] if key != "rss_mb"]
    rows = [tuple(key.split("/")) for key in keys]
    tables = []
    for size, measured in runs:
        groups = []
        for name in trees:
            cells = []
            for key in keys:
                result = measured[name]["load"][key]
                share = 100 * result["rps"] / hello["rps"]
                page, viewer = key.split("/")
                where = f"throughput {page} ({viewer}, {size:,})"
                found = load_over(viewer, result, share)
                if page == FLOOR[0]:  # no target of its own
                    found.pop("share", None)
                if name == "after":
                    over += [f"{where}: {why}" for why in found.values()]
                elif "errors" in found:
                    failures.append(f"{where}: {found['errors']}")
                low = "share" in found and name == "after"
                cells.append(
                    {
                        "rps": f"{result['rps']:.0f}",
                        "share": bold(f"{share:.0f} %", low),
                        "p50_ms": f"{result['p50_ms']:.0f}",
                        "p99_ms": f"{result['p99_ms']:.0f}",
                    }
                )
            groups.append((name if compare else f"{size:,}", cells))
        tables.append((f"{size:,} stories", groups))
    lines += tabulate(rows, tables, LOAD_COLUMNS, compare)
    heading = "gunicorn worker RSS after the run"
    if compare:
        lines += ["", f"| stories | {heading}: before | after |", "|---|---:|---:|"]
    else:
        lines += ["", f"| stories | {heading} |", "|---|---:|"]
    for size, measured in runs:
        rss = measured["after"]["load"]["rss_mb"]
        if rss >= TARGETS["rss_mb"]:
            over.append(f"worker RSS at {size:,}: {rss:.0f} MB")
        cells = [f"{measured[name]['load']['rss_mb']:.0f} MB" for name in trees]
        lines.append(f"| {size:,} | " + " | ".join(cells) + " |")
    return lines


def load_over(viewer, result, share):
    """Which of a throughput's numbers are over target, and why."""
    target = TARGETS["member_share" if viewer == "member" else "anonymous_share"]
    found = {}
    if share < target:
        found["share"] = f"{share:.0f} % of hello world < {target} %"
    if result["errors"]:
        found["errors"] = f"{result['errors']} non-2xx answers or timeouts"
    return found


def slowest_queries(runs):
    size, measured = runs[-1]
    slowest = max(measured["after"]["pages"], key=lambda page: page["p95_ms"])
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


def machine(trees):
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
    code = " → ".join(code.label for code in trees.values())
    return (
        f"Code: {code}. Machine: {cores} cores ({cpu[1] if cpu else '?'}), "
        f"{int(memory[1]) / 1024 / 1024:.0f} GB RAM; Python "
        f"{sys.version.split()[0]}; PostgreSQL {pg} on the same machine; wrk, "
        "gunicorn and PostgreSQL share the cores."
    )


if __name__ == "__main__":
    main()

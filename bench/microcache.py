"""Visitors' pages through an nginx microcache, against the same hello world.

    .venv/bin/python bench/microcache.py [--size 100000] [--duration 10s]

docs/deploy.md's microcache, measured: nginx (one worker) in front of
gunicorn as `make serve` runs it (production settings, 2 sync workers),
keeping a visitor's page for one second and never a signed-in reader's. It
checks that nginx keeps what it should (a visitor's second request is a HIT,
a member's is a BYPASS, an answer marked private is never kept), then loads
browse and a story with wrk through nginx as a visitor and as a member, and
the hello world straight from gunicorn, as bench/run.py does. Reuses (or
builds) bench/run.py's database p2s_bench_<size>. Needs nginx and wrk
(apt-get install nginx wrk).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402 (after the path, as a script)
    PORT,
    PYTHON,
    ROOT,
    Code,
    database,
    gunicorn,
    measure,
    revision,
    wrk,
)

NGINX_PORT = PORT + 1
CACHE = "in Redis" if os.environ.get("REDIS_URL") else "in the database"

# docs/deploy.md's microcache, with the paths of a throwaway run
CONFIG = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=p2s:10m max_size=200m
                     inactive=1m use_temp_path=off;
    map $upstream_http_cache_control $p2s_private {{ ~*private 1; default ""; }}
    upstream p2s {{ server 127.0.0.1:{app}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://p2s;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_cache p2s;
            proxy_cache_valid 200 1s;
            proxy_ignore_headers Cache-Control Expires;
            proxy_cache_bypass $cookie_sessionid;
            proxy_no_cache $cookie_sessionid $p2s_private;
            proxy_cache_lock on;
            proxy_cache_use_stale updating;
            add_header X-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--duration", default="10s", help="wrk's -d")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install {tool}")
    server = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"
    ).rstrip("/")
    code = Code(ROOT, PYTHON, revision(ROOT))
    code.run("manage.py", "collectstatic", "--noinput", "-v0",
             env=code.env(f"{server}/postgres"))  # fmt: skip
    url = database(server, args.size, code)
    measured = measure(code, url, 3, False)  # a member's session, a story
    cookie = f"sessionid={measured['session_key']}"
    story = measured["story_url"]
    results = {}
    with gunicorn(code, "p2s.wsgi:application", code.env(url)), nginx() as port:
        results["checks"] = checks(port, story, cookie)
        for name, path in [("browse", "/stories/"), ("story", story)]:
            for viewer, cookies in [("visitor", []), ("member", [cookie])]:
                print(f"== {name}, {viewer}, through nginx", file=sys.stderr)
                results[f"{name}/{viewer}"] = wrk(path, args.duration, cookies, port)
    print("== hello world, gunicorn alone", file=sys.stderr)
    with gunicorn(code, "bench.hello.wsgi:application", dict(os.environ)):
        hello = wrk("/", args.duration)
    report = markdown(args, code, hello, results)
    print(report)
    out = args.output or (
        ROOT / "bench" / "results" / f"{date.today().isoformat()}-microcache.md"
    )
    out.write_text(report)
    print(f"Written to {out}", file=sys.stderr)


class nginx:
    """nginx with CONFIG on NGINX_PORT, in front of gunicorn on PORT."""

    def __enter__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="p2s-nginx-"))
        self.tmp.chmod(0o755)  # nginx's workers (nobody) keep the cache in it
        conf = self.tmp / "nginx.conf"
        conf.write_text(CONFIG.format(tmp=self.tmp, app=PORT, port=NGINX_PORT))
        command = ["nginx", "-p", str(self.tmp), "-c", str(conf), "-g", "daemon off;"]
        self.process = subprocess.Popen(command)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{NGINX_PORT}/", timeout=5)
                return NGINX_PORT
            except OSError:
                time.sleep(0.2)
        errors = (self.tmp / "error.log").read_text()
        self.__exit__()
        sys.exit(f"nginx didn't answer: {errors}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


def cache_status(port, path, cookie=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Cache"), response.headers.get("Cache-Control")


def checks(port, story, cookie):
    """What nginx keeps: the visitor's page once drawn, nothing of a member's."""
    found = {}
    for path in ("/stories/?check=1", story):
        cache_status(port, path)
        found[f"visitor, again: {path}"] = cache_status(port, path)[0]
        found[f"member: {path}"] = cache_status(port, path, cookie)[0]
        found[f"member, again: {path}"] = cache_status(port, path, cookie)[0]
        found[f"member's Cache-Control: {path}"] = cache_status(port, path, cookie)[1]
    # kept "1 s", counted by nginx in whole seconds: drawn again within 2
    time.sleep(2.5)
    found["visitor, 2.5 s later: /stories/?check=1"] = cache_status(
        port, "/stories/?check=1"
    )[0]
    return found


def markdown(args, code, hello, results):
    lines = [
        f"# Visitors through an nginx microcache, {date.today().isoformat()}",
        "",
        f"Code {code.label}, {args.size:,} stories, wrk -t2 -c16 -d{args.duration};",
        "nginx 1 worker keeping visitors' pages 1 s, gunicorn 2 sync workers,",
        f"the shared cache {CACHE}, PostgreSQL on the same machine.",
        "",
        "| what nginx did | X-Cache |",
        "|---|---|",
        *(f"| {what} | {status} |" for what, status in results["checks"].items()),
        "",
        "| page | viewer | req/s | % of hello | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for key, result in results.items():
        if key == "checks":
            continue
        page, viewer = key.split("/")
        share = 100 * result["rps"] / hello["rps"]
        lines.append(
            f"| {page} | {viewer} | {result['rps']:.0f} | {share:.0f} % "
            f"| {result['p50_ms']:.1f} | {result['p99_ms']:.1f} "
            f"| {result['errors']} |"
        )
    lines.append(
        f"| hello world (gunicorn alone) | - | {hello['rps']:.0f} | 100 % "
        f"| {hello['p50_ms']:.1f} | {hello['p99_ms']:.1f} | {hello['errors']} |"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

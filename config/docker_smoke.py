"""The production image's build and start steps, run without Docker (`make docker-smoke` and a test).

Docker cannot run on our build machines, so this repeats what the Dockerfile and its entrypoint do, in a
throw-away copy of the build context (the checkout minus .dockerignore) and a throw-away PostgreSQL database:

1. front-end assets: `npm ci` + `npm run vendor`, or the checkout's static/vendor when it is already built;
   Python packages: `pip install -r requirements-prod.lock` into a fresh virtual environment;
2. `collectstatic` with production settings (compressed, hashed files, as at image build time);
3. config/docker-entrypoint.sh: migrate, load_content, load_bank — then gunicorn with production settings;
4. over HTTP: the container HEALTHCHECK (config/healthcheck.py), /health/, an exam page and one of its static
   files served by whitenoise.

Python packages: like the image, a fresh virtual environment gets exactly requirements-prod.lock (pip's cache
makes repeat runs quick), and every later step runs with its interpreter, so a package missing from the runtime
lock fails here. Exit status 0 means every step passed.
Usage: python config/docker_smoke.py [--fresh-assets]
"""

import argparse
import fnmatch
import http.client
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
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PAGE = "/exams/aif-c01/"
HOST = "127.0.0.1"


class SmokeError(Exception):
    """A step of the image did not do what it should."""


def server_url():
    """The PostgreSQL server to create the throw-away database on: DATABASE_URL's server, or local postgres."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("SMOKE_POSTGRES_URL", DEFAULT_SERVER_URL)
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def database_url(server, name):
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def postgres_is_reachable(server=None):
    try:
        psycopg.connect(server or server_url(), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def run_sql(server, statement):
    """One statement on the server's maintenance database, outside a transaction (CREATE/DROP DATABASE)."""
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


def copy_build_context(target):
    """The checkout as `COPY . .` sees it: everything but the .dockerignore patterns."""
    patterns = [
        line.strip().rstrip("/")
        for line in (BASE_DIR / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(directory, names):
        relative = Path(directory).relative_to(BASE_DIR)
        skip = set()
        for name in names:
            path = (relative / name).as_posix()
            for pattern in patterns:
                if fnmatch.fnmatch(path, pattern) or (
                    pattern.startswith("**/") and fnmatch.fnmatch(name, pattern[3:])
                ):
                    skip.add(name)
        return skip

    shutil.copytree(BASE_DIR, target, ignore=ignored, symlinks=True)


def build_assets(app_dir, *, fresh):
    """The image's Node stage: static/vendor from the npm lock file (reusing the checkout's when built)."""
    vendor = BASE_DIR / "static" / "vendor"
    if not fresh and (vendor / "htmx").is_dir():
        shutil.copytree(vendor, app_dir / "static" / "vendor")
        return "reused the checkout's static/vendor"
    npm = ["npm", "--no-audit", "--no-fund", "--loglevel=error"]
    if not fresh and (BASE_DIR / "node_modules").is_dir():
        (app_dir / "node_modules").symlink_to(BASE_DIR / "node_modules")
        subprocess.run([*npm, "run", "--silent", "vendor"], cwd=app_dir, check=True)
        return "npm run vendor with the checkout's node_modules"
    subprocess.run([*npm, "ci"], cwd=app_dir, check=True)
    subprocess.run([*npm, "run", "--silent", "vendor"], cwd=app_dir, check=True)
    return "npm ci + npm run vendor"


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def install_packages(app_dir):
    """A virtual environment with the runtime lock only, as the image's `pip install -r requirements-prod.lock`."""
    venv = app_dir.parent / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            "requirements-prod.lock",
        ],
        cwd=app_dir,
        check=True,
    )
    return python


def production_env(app_dir, python=sys.executable, **extra):
    """The image's environment (Dockerfile ENV + a production .env in LAN mode), nothing from the caller's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    }
    env.update(
        PATH=f"{Path(python).parent}{os.pathsep}{env.get('PATH', '')}",  # `python` and `gunicorn` of the image
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        MALLOC_MMAP_THRESHOLD_="1048576",  # as the Dockerfile sets it (Argon2id's memory is given back)
        DATA_DIR=str(app_dir / "data"),
        DEBUG="0",
        SECRET_KEY=f"smoke-{uuid.uuid4().hex}",
        ALLOWED_HOSTS=HOST,
        INSECURE_LAN_MODE="1",  # plain HTTP here, as in the documented LAN mode
        ENV_FILE="",  # the image holds no .env (.dockerignore): a developer's must not count here
    )
    env.update(extra)
    return env


def get(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_serving(server, port, deadline):
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeError(f"gunicorn exited with status {server.returncode} before serving")
        try:
            return get(port, "/health/")
        except OSError:
            time.sleep(0.3)
    raise SmokeError("gunicorn did not answer within the time limit")


def check_http(app_dir, env, port, python):
    status, body = get(port, "/health/")
    if status != 200 or json.loads(body).get("database") != "ok":
        raise SmokeError(f"/health/ answered {status}: {body[:200]!r}")
    healthcheck = subprocess.run(
        [str(python), "config/healthcheck.py"], cwd=app_dir, env=env, capture_output=True, text=True
    )
    if healthcheck.returncode != 0:
        raise SmokeError(f"the container HEALTHCHECK failed: {healthcheck.stderr.strip()}")
    status, body = get(port, PAGE)
    if status != 200 or b"AIF-C01" not in body.upper():
        raise SmokeError(f"{PAGE} answered {status}")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body)
    if not stylesheet or not re.search(rb"\.[0-9a-f]{12}\.css$", stylesheet.group(1)):
        raise SmokeError(f"{PAGE} links no hashed stylesheet (collectstatic's manifest is not in use)")
    status, _ = get(port, stylesheet.group(1).decode())
    if status != 200:
        raise SmokeError(f"whitenoise answered {status} for {stylesheet.group(1).decode()}")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # what `docker stop` sends
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run(*, fresh_assets=False, timeout=90, log=print):
    """Every step in order; raises SmokeError (or CalledProcessError) on the first that fails."""
    started = time.monotonic()
    deadline = started + timeout
    server_admin = server_url()
    name = f"certprep_smoke_{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="certprep-smoke-") as temp:
        app_dir = Path(temp) / "app"
        copy_build_context(app_dir)
        log(f"build context copied to {app_dir}")
        log(f"assets: {build_assets(app_dir, fresh=fresh_assets)}")
        python = install_packages(app_dir)
        log("pip install -r requirements-prod.lock into a fresh environment: ok")
        env = production_env(app_dir, python)
        subprocess.run(
            [str(python), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=app_dir,
            env={**env, "SECRET_KEY": "collectstatic-only", "ALLOWED_HOSTS": "localhost"},
            check=True,
        )
        log("collectstatic with production settings: ok")
        run_sql(server_admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            port = free_port()
            env.update(DATABASE_URL=database_url(server_admin, name), PORT=str(port))
            command = [
                "sh",
                "config/docker-entrypoint.sh",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--access-logfile",
                "-",
                "--no-control-socket",  # several smoke runs at once must not share ~/.gunicorn/gunicorn.ctl
            ]
            server = subprocess.Popen(command, cwd=app_dir, env=env)
            try:
                wait_until_serving(server, port, deadline)
                log(f"entrypoint (migrate, load_content, load_bank) and gunicorn on port {port}: ok")
                check_http(app_dir, env, port, python)
                log(f"HEALTHCHECK, /health/, {PAGE} and its stylesheet over HTTP: ok")
            finally:
                stop(server)
        finally:
            run_sql(
                server_admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    log(f"docker smoke passed in {time.monotonic() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh-assets", action="store_true", help="npm ci even when assets are built")
    parser.add_argument(
        "--timeout", type=int, default=180, help="seconds allowed to reach a serving gunicorn"
    )
    arguments = parser.parse_args()
    if not postgres_is_reachable():
        print(f"PostgreSQL is not reachable at {server_url()} (set SMOKE_POSTGRES_URL)", file=sys.stderr)
        return 2
    try:
        run(fresh_assets=arguments.fresh_assets, timeout=arguments.timeout)
    except (SmokeError, subprocess.CalledProcessError) as error:
        print(f"docker smoke FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Several app processes against one PostgreSQL: shared sessions, a shared Redis cache, connection pooling."""

import re
import subprocess
import sys
import time
import uuid
from http.client import HTTPConnection
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from psycopg import sql

from config import docker_smoke
from tests.config.test_settings import start

BASE = settings.BASE_DIR
REDIS_URL = "redis://127.0.0.1:6379/0"
needs_postgres = pytest.mark.skipif(not docker_smoke.postgres_is_reachable(), reason="needs PostgreSQL")


def redis_is_reachable():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


def manage(env, *arguments):
    command = [sys.executable, "manage.py", *arguments]
    return subprocess.run(command, cwd=BASE, env=env, capture_output=True, text=True, check=True)


@pytest.fixture
def postgres_env(tmp_path):
    """The production environment on a fresh, migrated PostgreSQL database of its own, dropped afterwards."""
    server, name = docker_smoke.server_url(), f"certprep_scale_{uuid.uuid4().hex[:12]}"
    docker_smoke.run_sql(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = docker_smoke.production_env(tmp_path, DATABASE_URL=docker_smoke.database_url(server, name))
    try:
        manage(env, "migrate", "--noinput", "-v0")
        yield env
    finally:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        docker_smoke.run_sql(server, drop)


def start_gunicorn(env):
    port = docker_smoke.free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=BASE, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    docker_smoke.wait_until_serving(server, port, deadline=time.monotonic() + 30)
    return server, port


def request(port, method, path, *, cookies=None, form=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
    response = connection.getresponse()
    set_cookies = dict(
        re.match(r"([^=]+)=([^;]*)", value).groups()
        for key, value in response.getheaders()
        if key.lower() == "set-cookie"
    )
    result = response.status, response.getheader("Location"), set_cookies, response.read().decode()
    connection.close()
    return result


@needs_postgres
def test_a_session_started_in_one_app_process_is_valid_in_another(postgres_env):
    manage(
        postgres_env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('alice', password='alice-pass-1234')",
    )
    first, first_port = start_gunicorn(postgres_env)
    second, second_port = start_gunicorn(postgres_env)
    try:
        _, _, cookies, page = request(first_port, "GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "username": "alice", "password": "alice-pass-1234"}
        status, _, new_cookies, _ = request(
            first_port, "POST", "/accounts/login/", cookies=cookies, form=form
        )
        assert status == 302 and "sessionid" in new_cookies
        session = {"sessionid": new_cookies["sessionid"]}

        status, location, _, _ = request(second_port, "GET", "/dashboard/", cookies=session)
        assert (status, location) == (200, None)  # logged in on the other process: no redirect to log-in
        status, location, _, _ = request(second_port, "GET", "/dashboard/")
        assert status == 302 and location.startswith("/accounts/login/")  # and not without the cookie
    finally:
        docker_smoke.stop(first)
        docker_smoke.stop(second)


@pytest.mark.skipif(not redis_is_reachable(), reason=f"needs Redis at {REDIS_URL}")
def test_with_redis_url_every_app_process_shares_one_cache():
    key, value = f"scale-out-{uuid.uuid4().hex}", uuid.uuid4().hex
    env = {"DEBUG": "0", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "localhost", "REDIS_URL": REDIS_URL}
    setup = "import django; django.setup(); from django.core.cache import cache; "
    try:
        written = start(env, code=setup + f"cache.set({key!r}, {value!r}, 60)")
        assert written.returncode == 0, written.stderr
        read = start(env, code=setup + f"print(cache.get({key!r}))")
        assert read.stdout.strip() == value  # a second process sees what the first one cached
    finally:
        start(env, code=setup + f"cache.delete({key!r})")


def test_without_redis_url_the_cache_is_per_process_and_sessions_are_in_the_database():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    env = {"DEBUG": "0", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "localhost", "REDIS_URL": ""}
    assert start(env, code=code).stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]
    env["REDIS_URL"] = REDIS_URL
    assert start(env, code=code).stdout.split()[0] == "django.core.cache.backends.redis.RedisCache"


@needs_postgres
def test_db_pool_gives_each_process_a_psycopg_pool_on_postgresql():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": docker_smoke.server_url(),
        "DB_POOL": "1",
        "DB_POOL_MAX_SIZE": "6",
    }
    code = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); print(type(connection.pool).__name__, connection.pool.max_size, "
        "connection.settings_dict['CONN_MAX_AGE'])"
    )
    result = start(env, code=code)
    assert result.stdout.split() == ["ConnectionPool", "6", "0"], result.stderr


def test_db_pool_refuses_persistent_connections_and_sqlite():
    env = {"DEBUG": "0", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "localhost", "DB_POOL": "1"}
    postgres = {**env, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/certprep", "DB_CONN_MAX_AGE": "60"}
    assert "DB_POOL=1 and DB_CONN_MAX_AGE>0 exclude each other" in start(postgres).stderr
    assert "DB_POOL=1 needs PostgreSQL" in start({**env, "DATABASE_URL": "sqlite:///:memory:"}).stderr

"""The one settings module: every knob comes from an environment variable (see docs/deploy.md)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's .env (written by `make run`: DEBUG=1 and a generated key) so that every `manage.py` command works
# from a plain shell. Real environment variables win; production and CI set them and have no .env (the image
# leaves it out). ENV_FILE names another file, or none when empty (the test suite sets it empty).
ENV_FILE = env_str("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    from dotenv import load_dotenv

    load_dotenv(ENV_FILE, override=False)

DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see docs/deploy.md).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off, e.g. ALLOWED_HOSTS=exams.school.org"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "apps.content",
    "apps.questions",
    "apps.exams",
    "apps.progress",
    "apps.classrooms",
    "apps.accounts",
    "csp",
    "axes",
    "apps.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, so that a refused request of a signed-in user is still marked private (see below).
    "config.middleware.PrivatePagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A body that is not UTF-8 form data (415) or too large (413), or an address with a NUL byte (400), is
    # refused before any view, the CSRF check or an error page could read it.
    "config.middleware.FormBodyMiddleware",
    "config.middleware.NoNulInAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the login view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# No "loaders" here on purpose: Django then wraps the filesystem and app loaders in its cached loader (in every
# mode since 4.1), and template_partials wraps that, so each template, the question kinds' included ones too,
# is parsed once per process. Setting "loaders" would turn this off unless the cached loader is named.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL through DATABASE_URL=postgres://user:pass@host/db.
# Each worker thread keeps its connection for DB_CONN_MAX_AGE seconds (persistent connections), on SQLite too:
# opening a SQLite connection and running its PRAGMAs costs about 1.7 ms of CPU, a third of an answer save
# (docs/benchmarks.md). On PostgreSQL, DB_POOL=1 shares a psycopg connection pool per process (Django 5.2)
# instead. The two exclude each other: a pooled connection goes back to the pool after each request, so
# DB_CONN_MAX_AGE must be 0 (its default with DB_POOL=1).
DB_POOL = env_bool("DB_POOL", False)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'certprep.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DB_POOL else 60),
        conn_health_checks=True,
    )
}
if DB_POOL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DB_POOL=1 needs PostgreSQL (DATABASE_URL=postgres://...).")
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured(
            "DB_POOL=1 and DB_CONN_MAX_AGE>0 exclude each other: unset DB_CONN_MAX_AGE (or set it to 0)."
        )
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        # Per gunicorn process; max_size at least GUNICORN_THREADS, so no thread waits for a connection.
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),  # seconds a request waits for a free connection
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue on the busy timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several app processes (gunicorn workers, or app containers behind one proxy) must share their state. Sessions
# live in the database, which they share already. Login throttling counts are in the database too (django-axes).
# The cache holds nothing that must be shared (it is per process by default); REDIS_URL=redis://host:6379/0
# makes it one cache for every process all the same.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "certprep",
        }
    }

# Argon2id first (config/hashers.py, docs/security.md); the others only read older hashes, which are rehashed with
# Argon2id at the next log-in.
PASSWORD_HASHERS = [
    "config.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security: TLS, cookies, content security policy, login throttling ------------------------------------
# Production (DEBUG=0) assumes HTTPS, normally terminated by a reverse proxy (docs/deploy.md): HTTP is
# redirected to HTTPS, cookies are Secure and HSTS is sent. INSECURE_LAN_MODE=1 is the explicit "LAN without
# TLS" switch for a closed classroom network: it relaxes exactly these TLS settings and silences exactly the
# deploy checks about them; every other protection (CSP, frame and nosniff headers, login throttling) stays.
INSECURE_LAN_MODE = env_bool("INSECURE_LAN_MODE", False)
_HTTPS = not DEBUG and not INSECURE_LAN_MODE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the container's HEALTHCHECK calls plain HTTP inside the container
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
# HSTS covers only the host that sends it and the hosts below it (not the school's parent domain).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS proxy Django sees plain HTTP; trust the proxy's X-Forwarded-Proto only when told to, because
# a client could send the header itself if the app were reachable without the proxy.
_PROXY_SSL_HEADER = env_str("SECURE_PROXY_SSL_HEADER")
if _PROXY_SSL_HEADER:
    if not _PROXY_SSL_HEADER.startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={_PROXY_SSL_HEADER!r} must name a request.META key such as "
            "HTTP_X_FORWARDED_PROTO."
        )
    SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https")

SILENCED_SYSTEM_CHECKS = []
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # W021 asks for the HSTS "preload" flag. Preloading is a commitment for a whole registrable domain that a
    # school's IT makes (and submits to the browsers' list), not a default this app can take for it.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if INSECURE_LAN_MODE:
    SILENCED_SYSTEM_CHECKS += [
        "security.W004",  # SECURE_HSTS_SECONDS: HSTS is meaningless without HTTPS
        "security.W008",  # SECURE_SSL_REDIRECT: there is no HTTPS to redirect to
        "security.W012",  # SESSION_COOKIE_SECURE: a Secure cookie is never sent over plain HTTP
        "security.W016",  # CSRF_COOKIE_SECURE: likewise for the CSRF cookie
    ]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default-compatible
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): only our own scripts, no inline script and no eval anywhere (htmx is
# told so in base.html). Styles allow 'unsafe-inline' because KaTeX positions glyphs with style attributes
# and Mermaid puts a <style> element inside each diagram's SVG; styles cannot run code.
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only (for trying a change).
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# Login throttling (django-axes), counted per username *and* client IP together: a classroom behind one NAT
# address is never locked out as a whole, while guessing one account's password is. Failures are stored in
# the database, so every app process sees the same counts.
AUTHENTICATION_BACKENDS = ["config.auth.LockoutModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 6)  # the 6th wrong password in a row locks
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# No row per successful log-in (only failures are stored): one write less per log-in when a class logs in.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
# Number of reverse proxies in front of the app that append to X-Forwarded-For. 0 (the default) uses the
# connection's address and ignores the header, which a client could otherwise forge to dodge a lockout.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_VERBOSE = False  # no banner on every manage.py command; failures and lockouts are still logged
# --- End of security ---------------------------------------------------------------------------------------

# The largest request body the app reads: the largest question file an import takes (10 MB,
# apps/questions/formats MAX_BYTES) plus the form around it. Larger bodies get a 413 from FormBodyMiddleware
# before they are read; the proxy snippets in docs/deploy.md set the same limit (client_max_body_size 12m).
# Form fields other than files stay within Django's default DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB: a 400).
REQUEST_BODY_MAX_BYTES = 12_000_000

# Saves that arrive this many seconds after an attempt's deadline are still accepted (requests in flight).
EXAM_SAVE_GRACE_SECONDS = env_int("EXAM_SAVE_GRACE_SECONDS", 5)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "progress:dashboard"
LOGOUT_REDIRECT_URL = "content:home"

# --- Email (password-reset links) -------------------------------------------------------------------------
# Without EMAIL_HOST, mail is printed to the console (the server log), so a local set-up needs no mail server.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20  # seconds: a stalled mail server must not hold a web worker forever
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "certprep@localhost")
# --- End of email ------------------------------------------------------------------------------------------

# Where `load_content` finds the bundled blueprints, glossary and notes.
CONTENT_DIR = Path(env_str("CONTENT_DIR", str(BASE_DIR / "fixtures")))

# Logs go to stdout (the container's log). LOG_FORMAT=json (the default in production) writes one JSON object per
# line for log collectors; plain (the default with DEBUG=1) is for reading in a terminal. The "django" loggers
# (django.request: 4xx/5xx responses and unhandled errors with their traceback; django.security) write there too.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be json or plain.")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.log_format.JsonFormatter"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    # No handlers of its own: Django's defaults (console only in DEBUG, mail to ADMINS) are replaced, and its
    # records propagate to the root's stdout handler like every other logger's.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

# certprep production image: front-end assets built from the npm lock file, Python packages from the pinned
# runtime lock file (requirements-prod.lock: no test or lint tools; `make lock` writes it), static files
# collected (compressed, hashed) at build time, served by gunicorn as a non-root user.

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
    && npm run --silent vendor

FROM python:3.11-slim-bookworm AS app
# MALLOC_MMAP_THRESHOLD_: blocks of 1 MiB and more are mapped and given back when freed. Without it, glibc keeps
# the 19 MiB of each Argon2id hash that a server thread computed (76 MiB more per worker of 4 threads).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_MMAP_THRESHOLD_=1048576 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    PORT=8000
WORKDIR /app
# A fixed numeric uid/gid, so USER is resolvable anywhere and a bind-mounted /data can be chown'ed to match.
RUN groupadd --system --gid 10001 certprep \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin certprep \
    && mkdir -p /data && chown 10001:10001 /data
COPY requirements-prod.lock ./
RUN pip install -r requirements-prod.lock
COPY --chown=10001:10001 . .
COPY --from=assets --chown=10001:10001 /build/static/vendor ./static/vendor
RUN DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && chmod +x config/docker-entrypoint.sh
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "config/healthcheck.py"]
ENTRYPOINT ["config/docker-entrypoint.sh"]
CMD ["sh", "-c", "exec gunicorn config.wsgi --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS:-3} --threads ${GUNICORN_THREADS:-4} --access-logfile - --no-control-socket"]

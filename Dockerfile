# One image for web (gunicorn), worker and beat. Debian-based so WeasyPrint's Pango/HarfBuzz libraries are packaged.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint needs Pango (with HarfBuzz and FreeType) and fonts the board-pack templates name.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation shared-mime-info curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
# Only what runs: requirements-runtime.lock is the runtime part of requirements.lock (same versions, no test tools).
COPY requirements-runtime.lock ./
RUN pip install --require-hashes --no-deps -r requirements-runtime.lock

COPY . .
# collectstatic only needs settings to import; these build-time values are never used at run time.
# Not served, so not collected: ReDoc (the API docs use Swagger UI) and the browsable API's assets (JSON only).
RUN SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        REDIS_URL=redis://build:6379/0 AUDIT_CHAIN_KEY=build-only-not-a-secret-chain-key-0123456789 \
        EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
        python manage.py collectstatic --noinput -v0 --ignore redoc --ignore rest_framework \
    && mkdir -p /app/media && chown -R app:app /app/media

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]

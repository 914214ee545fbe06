"""Settings shared by every environment. Everything that differs between deployments comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-only-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram search on PostgreSQL; inert on SQLite
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "csp",
    "django_htmx",
    "outbox",  # background work recorded with the change that asks for it (infrastructure, below every app)
    # ours (dependencies point down this list, accounts -> audit included; tests/test_import_direction.py holds it)
    "accounts",
    "audit",
    "intake",
    "riskboundaries",
    "approvals",
    "oversight",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL in the address, a parameter, a header or a form field, or a JSON body too deep to parse: 400 before any
    # view, and below the middlewares above so the refusal carries the same security headers as any page.
    "config.middleware.MalformedRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL in production (DATABASE_URL), an SQLite file as the embedded default.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the permission subqueries make the planner's cost estimates large, which sent short page
    # queries through 200-250 ms of JIT compilation to save a few milliseconds of execution (bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: local username login; TOTP/recovery-code MFA for the step-up that signing asks for; OpenID Connect
# single sign-on, configured from the environment when an identity provider is given.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins per client address across accounts (password spraying), in the cache. The per-account limits,
    # shared by browser and API sign-in, are SIGN_IN_LIMITS below.
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip"),
    # Confirming a boundary signature through the API (accounts/stepup.py): as strict as failed sign-ins.
    "boundary_sign_step_up": env_str("STEP_UP_RATE_LIMIT", "5/5m/user"),
}
if "/key" in ACCOUNT_RATE_LIMITS["login_failed"]:
    # A per-username limit shared by every address lets anyone lock the CIO out with a few guesses.
    raise ImproperlyConfigured(
        "LOGIN_FAILED_RATE_LIMIT counts per address only (e.g. 10/m/ip); per-account limits are SIGN_IN_FAILURES_*."
    )
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# The change-password page's check of the current password counts like a failed sign-in (accounts/forms.py).
ACCOUNT_FORMS = {"change_password": "accounts.forms.CountedChangePasswordForm"}
# Failed password checks per account (browser sign-in, re-authentication, API tokens, API step-up: one count, in the
# database): from one address, a short lock-out of that address; from every address, a higher threshold over a longer
# window. A password reset by e-mail clears the count (accounts/signin.py).
SIGN_IN_LIMITS = {
    "address_failures": env_int("SIGN_IN_FAILURES_PER_ADDRESS", 5),
    "address_window_seconds": env_int("SIGN_IN_ADDRESS_WINDOW_SECONDS", 15 * 60),
    "account_failures": env_int("SIGN_IN_FAILURES_PER_ACCOUNT", 20),
    "account_window_seconds": env_int("SIGN_IN_ACCOUNT_WINDOW_SECONDS", 60 * 60),
}
# How many proxies in front of the application append to X-Forwarded-For (0: none, the header is ignored). Sign-in
# limits, API throttles and the audit trail read the client's address through config/clientip.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# API tokens: days until a token expires; a grant of an approver role waits this many days for its confirmation.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
ROLE_GRANT_REQUEST_DAYS = env_int("ROLE_GRANT_REQUEST_DAYS", 7)
# Signing a risk boundary asks the signer to confirm who they are: in the browser through allauth's re-authentication
# (with the second factor when MFA is on), through the API with the password (and a current code) in the call.
BOUNDARY_SIGNING_REQUIRES_REAUTH = env_bool("BOUNDARY_SIGNING_REQUIRES_REAUTH", False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "GenAI Governance")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict = {}
if env_str("OIDC_SERVER_URL", ""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "sso"),
                "name": env_str("OIDC_PROVIDER_NAME", "Single sign-on"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env_str("OIDC_SERVER_URL")},
            }
        ]
    }

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
# One date format for people everywhere ("27 Nov 2026"): templates use |date with no argument, messages human_date().
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every file the product keeps (board packs, register exports, evidence, audit checkpoints) goes through the default
# storage: the local file system above (MEDIA_ROOT), or, when OBJECT_STORAGE_BUCKET is set, an S3-compatible object
# store (AWS S3, MinIO in docker-compose, moto in the tests), so that web and worker hosts share no disk. Files are
# never served from the store's own URLs: the application reads them and checks who asks.
OBJECT_STORAGE_BUCKET = env_str("OBJECT_STORAGE_BUCKET", "")
if OBJECT_STORAGE_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": OBJECT_STORAGE_BUCKET,
            "endpoint_url": env_str("OBJECT_STORAGE_ENDPOINT_URL", "") or None,
            "access_key": env_str("OBJECT_STORAGE_ACCESS_KEY", "") or None,
            "secret_key": env_str("OBJECT_STORAGE_SECRET_KEY", "") or None,
            "region_name": env_str("OBJECT_STORAGE_REGION", "us-east-1"),
            "location": env_str("OBJECT_STORAGE_PREFIX", ""),
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env_bool("OBJECT_STORAGE_ENCRYPT", True)
            else {},
        },
    }

# Cache (rate limits live here): Redis when configured, process memory otherwise.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Email
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The address people reach the product at, for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GenAI Governance <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis broker when configured; with none, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # In-process: nothing to connect to. (CELERY_TASK_ALWAYS_EAGER is what /healthz reports.)
    CELERY_BROKER_URL, CELERY_RESULT_BACKEND = "memory://localhost/", "cache+memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"  # beat schedules below are in UTC (beat ignores TIME_ZONE)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)  # KiB
CELERY_TASK_ACKS_LATE = False
CELERY_RESULT_EXPIRES = 3600
# Longer than the longest task, so a running task is never redelivered to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request publishes its work after commit and must never wait on a dead broker: short timeouts, no publish retries
# (outbox/services.py), and no result subscription (results are asked for explicitly where they are wanted).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# kombu retries a refused connection for broker_connection_timeout before giving up: once, at once, here.
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    {
        "socket_connect_timeout": 2,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
)
CELERY_TASK_IGNORE_RESULT = True
# The outbox: a claimed message whose worker shows no sign of life after the lease is published again; a message sent
# but not started after OUTBOX_REDELIVER_SECONDS is sent again (lost with a broker); the sweep runs every minute.
OUTBOX_SETTLE_SECONDS = env_int("OUTBOX_SETTLE_SECONDS", 10)
OUTBOX_REDELIVER_SECONDS = env_int("OUTBOX_REDELIVER_SECONDS", 600)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 600)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 50)
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60)
# After a risk boundary takes effect, the worker checks the approved use cases against it this many per transaction.
BOUNDARY_RE_REVIEW_BATCH = env_int("BOUNDARY_RE_REVIEW_BATCH", 500)
# Board packs render on their own queue (WeasyPrint is memory hungry): `celery worker -Q board_packs,celery`.
# Long work (renders, large register exports) has a queue of its own, so that e-mails never wait behind it.
CELERY_TASK_ROUTES = {
    "reporting.tasks.render_board_pack": {"queue": "board_packs"},
    "reporting.tasks.export_register": {"queue": "board_packs"},
}
# The executives' dashboard reads a snapshot of the portfolio's figures that beat refreshes this often.
DASHBOARD_REFRESH_SECONDS = env_int("DASHBOARD_REFRESH_SECONDS", 300)
# A register export of more rows than this is produced by the worker and downloaded when ready.
REGISTER_EXPORT_INLINE_ROWS = env_int("REGISTER_EXPORT_INLINE_ROWS", 2000)
# A render beats every BOARD_PACK_HEARTBEAT_SECONDS; one silent for BOARD_PACK_STALE_SECONDS (its worker died) is taken
# over by the sweep, which also sends again packs queued for BOARD_PACK_QUEUED_SECONDS. A person may ask for
# BOARD_PACK_REQUESTS_PER_HOUR packs an hour.
BOARD_PACK_HEARTBEAT_SECONDS = env_int("BOARD_PACK_HEARTBEAT_SECONDS", 10)
BOARD_PACK_STALE_SECONDS = env_int("BOARD_PACK_STALE_SECONDS", 60)
BOARD_PACK_MAX_ATTEMPTS = env_int(
    "BOARD_PACK_MAX_ATTEMPTS", 3
)  # renders that may die before the pack is failed
BOARD_PACK_QUEUED_SECONDS = env_int("BOARD_PACK_QUEUED_SECONDS", 300)
BOARD_PACK_SWEEP_SECONDS = env_int("BOARD_PACK_SWEEP_SECONDS", 60)
BOARD_PACK_REQUESTS_PER_HOUR = env_int("BOARD_PACK_REQUESTS_PER_HOUR", 10)
# How often the beat looks for a newer ruleset than the portfolio was assessed under (after a deployment).
RULESET_CHECK_SECONDS = env_int("RULESET_CHECK_SECONDS", 300)
# Serious incidents (oversight.clocks): the company's target for the deployer's "immediately" (Art. 26(5)), and the
# reminders of open reporting duties: from this many hours before they fall due, at most once per so many hours.
INCIDENT_IMMEDIATE_HOURS = env_int("INCIDENT_IMMEDIATE_HOURS", 24)
INCIDENT_REMIND_BEFORE_HOURS = env_int("INCIDENT_REMIND_BEFORE_HOURS", 48)
INCIDENT_REMIND_EVERY_HOURS = env_int("INCIDENT_REMIND_EVERY_HOURS", 12)
INCIDENT_REMINDER_SECONDS = env_int("INCIDENT_REMINDER_SECONDS", 900)
# Evidence files (oversight.filetypes says which kinds): at most this many bytes each.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-sweep": {"task": "outbox.tasks.outbox_sweep", "schedule": OUTBOX_SWEEP_SECONDS},
    "board-pack-sweep": {"task": "reporting.tasks.board_pack_sweep", "schedule": BOARD_PACK_SWEEP_SECONDS},
    "dashboard-refresh": {"task": "reporting.tasks.refresh_dashboard", "schedule": DASHBOARD_REFRESH_SECONDS},
    "incident-deadline-reminders": {
        "task": "oversight.tasks.incident_deadline_reminders",
        "schedule": INCIDENT_REMINDER_SECONDS,
    },
    "quarterly-board-pack": {
        "task": "reporting.tasks.quarterly_board_pack",
        # 06:00 UTC on the first day of each quarter.
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "re-review-sweep-daily": {
        "task": "approvals.tasks.re_review_sweep",
        "schedule": crontab(minute=30, hour=5),
    },
    # A deployment that brings a newer ruleset: the portfolio is re-assessed under it within minutes (idempotent).
    "ruleset-upgrade-check": {
        "task": "intake.tasks.ruleset_upgrade_check",
        "schedule": RULESET_CHECK_SECONDS,
    },
    "prune-sign-in-failures-daily": {
        "task": "accounts.tasks.prune_sign_in_failures",
        "schedule": crontab(minute=15, hour=4),
    },
}

# Audit chain (audit/). Each event's hash is an HMAC keyed by AUDIT_CHAIN_KEY, a secret kept out of the database (the
# local default is for development only; production requires its own). To rotate: move the old key into
# AUDIT_CHAIN_KEY_FALLBACKS (comma-separated) and set a new AUDIT_CHAIN_KEY; older events keep verifying while their key
# is listed. Checkpoints of the chain's head go to this STORAGES alias (the object store in production), daily and with
# every board pack; the API verifies at most AUDIT_VERIFY_INLINE_LIMIT new events in the request, the worker the rest.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", "insecure-local-only-audit-chain-key-do-not-use-in-production")
AUDIT_CHAIN_KEY_FALLBACKS = env_list("AUDIT_CHAIN_KEY_FALLBACKS")
AUDIT_CHECKPOINT_STORAGE = env_str("AUDIT_CHECKPOINT_STORAGE", "default")
AUDIT_VERIFY_INLINE_LIMIT = env_int("AUDIT_VERIFY_INLINE_LIMIT", 1000)
AUDIT_DATABASE_ROLE_CHECK = False  # on in production: `check --database default` refuses an owner connection
CELERY_BEAT_SCHEDULE |= {
    "audit-verify-new-events-hourly": {
        "task": "audit.tasks.verify_audit_chain",
        "schedule": crontab(minute=20),
        "kwargs": {"kind": "incremental"},
    },
    "audit-verify-full-nightly": {
        "task": "audit.tasks.verify_audit_chain",
        "schedule": crontab(minute=40, hour=2),
        "kwargs": {"kind": "full"},
    },
    "audit-checkpoint-daily": {
        "task": "audit.tasks.write_audit_checkpoint",
        "schedule": crontab(minute=0, hour=3),
        "kwargs": {"reason": "daily"},
    },
}

# REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",  # refuses NUL, lone surrogates and deep nesting, naming the field
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",  # drf-spectacular's, with each operation's error answers
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth_token": env_str("TOKEN_RATE_LIMIT", "10/min")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GenAI Governance API",
    "DESCRIPTION": "Use-case intake, joint CIO–CISO risk approval, risk boundaries, board packs and the audit chain.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # cio/ciso is one choice set wherever it appears (decision slots, boundary signatures).
    "ENUM_NAME_OVERRIDES": {
        "ExecutiveRoleEnum": "approvals.rules.Slot.values",
        "RegisterExportKindEnum": [("csv", "CSV"), ("xlsx", "Excel")],
        "ObligationStateEnum": "intake.assessment.duties.STATES",
        "ProviderStatusEnum": "oversight.models.AiProvider.Status",
    },
}

# Content security policy: only the site's own scripts and styles, nothing from elsewhere, and nothing inline except a
# style element carrying the response's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # A nonce is added only on pages that ask for one (the dashboard's chart styles).
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
CSRF_COOKIE_HTTPONLY = (
    False  # htmx reads the token from the page, not the cookie; kept default for the API docs.
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django.utils.autoreload": {"level": "WARNING"}},
}

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-pass-2026")
# seed_demo on an empty audit trail plays the demo's history out over last quarter on a moved clock (reporting/demo.py).
DEMO_HISTORY = env_bool("DEMO_HISTORY", True)

# django-guardian: no anonymous-user row; nobody anonymous is ever granted anything.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

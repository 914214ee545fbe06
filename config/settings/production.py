"""Production: PostgreSQL, Redis, HTTPS behind a TLS-terminating proxy. Refuses to start without real secrets."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

# Mail must leave the process: password-reset links must not land in a log (console), stay in memory (locmem) or
# vanish (dummy). Set EMAIL_BACKEND to SMTP (with EMAIL_HOST and friends) or another backend that delivers.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
if EMAIL_BACKEND in UNDELIVERED_EMAIL_BACKENDS:  # noqa: F405
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND is {EMAIL_BACKEND}, which delivers no mail (password-reset links would end in a log or "  # noqa: F405
        "nowhere). Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_HOST settings."
    )
# The file-based backend writes each message to this directory (a pickup directory that a mail relay reads).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "")
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend" and not EMAIL_FILE_PATH:  # noqa: F405
    raise ImproperlyConfigured("Set EMAIL_FILE_PATH, the directory the file-based e-mail backend writes to.")

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405
# Sign-in and step-up rate limits, used one-time codes and API throttles live in the cache: every web process and
# worker must share one, so production refuses to start without Redis.
REDIS_URL = env_str("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# Source maps are only for debugging: served as they are, not pre-compressed (that would slow every build).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *(
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "zip",
        "gz",
        "tgz",
        "bz2",
        "tbz",
        "xz",
        "br",
        "swf",
        "flv",
        "woff",
        "woff2",
    ),
    "map",
]
# Templates always link hashed names; dropping the unhashed copies halves the build's compression work.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# In production a signature on the risk boundary is always confirmed (set to false only behind an SSO that does it).
BOUNDARY_SIGNING_REQUIRES_REAUTH = env_bool("BOUNDARY_SIGNING_REQUIRES_REAUTH", True)
# A production audit trail is never written with moved dates: seed_demo there (a staging copy, say) happens now.
DEMO_HISTORY = env_bool("DEMO_HISTORY", False)

# Audit chain: its key comes from the environment only, is long, and is not SECRET_KEY (rotating one must not touch
# the other). `check --database default` (and so `migrate`) refuses a connection that owns the audit table or is a
# superuser: set AUDIT_DATABASE_ROLE_CHECK=false only where the owner connects on purpose, to migrate.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY")
if len(AUDIT_CHAIN_KEY) < 32 or AUDIT_CHAIN_KEY in (SECRET_KEY, *AUDIT_CHAIN_KEY_FALLBACKS):  # noqa: F405
    raise ImproperlyConfigured(
        "Set AUDIT_CHAIN_KEY to a random secret of at least 32 characters, different from SECRET_KEY and from the "
        "retired keys in AUDIT_CHAIN_KEY_FALLBACKS (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
    )
AUDIT_DATABASE_ROLE_CHECK = env_bool("AUDIT_DATABASE_ROLE_CHECK", True)

"""chiso settings: one env-driven module.

Development and the demo run on SQLite with no configuration at all. Production sets
CHISO_PRODUCTION=1, CHISO_SECRET_KEY, CHISO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHISO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_bool("CHISO_PRODUCTION")
DEBUG = env_bool("CHISO_DEBUG", default=not PRODUCTION)

# Production refuses to start without these; the error names every one that is missing, not just the first.
PRODUCTION_REQUIRED_SETTINGS = ("CHISO_SECRET_KEY", "CHISO_ALLOWED_HOSTS")
if PRODUCTION:
    _missing = [name for name in PRODUCTION_REQUIRED_SETTINGS if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(
            "CHISO_PRODUCTION=1 needs these environment variables, which are missing or empty: "
            + ", ".join(_missing) + ". See docs/ARCHITECTURE.md (Settings).")
    SECRET_KEY = os.environ["CHISO_SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("CHISO_SECRET_KEY", "chiso-development-only-not-secret")

ALLOWED_HOSTS = [h for h in os.environ.get("CHISO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CHISO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_htmx",
    # The optional second factor (chiso.accounts.second_factor): authenticator-app codes and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "chiso.core",
    "chiso.accounts",
    "chiso.orgs",
    "chiso.frameworks",
    "chiso.plans",
    "chiso.results",
    "chiso.monitoring",
    "chiso.documents",
    "chiso.unitindex",
    "chiso.ops",
    "chiso.onboarding",
    "chiso.demo",
    "chiso.api",
    "chiso.public",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]
if not PRODUCTION:
    # The synthetic dataset and the benchmark measure chiso; a province's server does not need them.
    INSTALLED_APPS.append("chiso.scale")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything else so its duration and query count cover the whole request.
    "chiso.ops.request_log.RequestLogMiddleware",
    "chiso.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chiso.core.middleware.VietnameseFirstLocaleMiddleware",
    "chiso.core.middleware.RefuseNulInQuery",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Only acts with CHISO_REQUIRE_SECOND_FACTOR, on a session flag set at sign-in.
    "chiso.accounts.two_step_sign_in.RequireSecondFactorEnrolment",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "chiso.api.middleware.ApiConditionalGetMiddleware",
    "chiso.api.middleware.ApiWriteLogMiddleware",
    # Innermost (only axes, which needs to be last, comes after): it runs the view again on a SQLite lock.
    "chiso.core.middleware.RetryOnDatabaseLock",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # WhiteNoise serves the collected static files in production; runserver serves them in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "chiso.urls"
WSGI_APPLICATION = "chiso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chiso" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chiso.core.context_processors.navigation",
                "chiso.monitoring.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chiso.sqlite3'}"),
        # A web process keeps its connection ten minutes: each new one starts a PostgreSQL backend with cold
        # caches and prepares its statements again (below). The health check (one `SELECT 1` at a request's
        # first query) replaces a connection the server dropped, a restart, instead of failing that request.
        conn_max_age=int(os.environ.get("CHISO_DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a province's few hundred users: WAL lets readers go on while one writer
    # writes; IMMEDIATE takes the write lock when a transaction starts (a deferred one that reads first and
    # then upgrades fails at once, whatever the timeout); writers queue for up to `timeout` seconds.
    # chiso.core.middleware.RetryOnDatabaseLock retries the rare write that still meets a lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("CHISO_SQLITE_TIMEOUT_SECONDS", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif env_bool("CHISO_DB_PREPARED_STATEMENTS", default=True):
    # Parameters bound by the server, so that psycopg prepares a statement the fifth time a connection runs
    # it: PostgreSQL then plans it once per connection instead of on every request. Planning was most of
    # PostgreSQL's work (the report line form and save: 15 ms of its CPU a turn before, 3 after; see
    # docs/PERFORMANCE.md). A pooler in transaction mode needs prepared statements off (set this to 0)
    # unless it tracks them itself.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
# Every process of a deployment (the web workers, the task worker, the periodic jobs) must see one cache: the
# public pages' versions are bumped by whichever process changed the plan, and the API's rate-limit counters
# must count a token's requests whichever worker served them. A per-process memory cache would serve a stale
# public page from every other worker and multiply the rate limit by the number of workers. The database is the
# one service every deployment already shares (no extra server); the demo is one process and keeps memory.
# The table is created after every `migrate` (chiso.ops.apps). The database cache removes expired rows only
# when it holds more than MAX_ENTRIES, and an appendix table is about 190 KB: 2 000 entries bound the table to a
# few hundred MB while leaving room for a province's plans (each appendix and public page one entry).
CACHE_KIND = os.environ.get("CHISO_CACHE", "database" if PRODUCTION else "memory")
if CACHE_KIND not in ("database", "memory"):
    raise ImproperlyConfigured("CHISO_CACHE must be 'database' or 'memory'.")
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "chiso_cache",
    "OPTIONS": {"MAX_ENTRIES": 2000},
} if CACHE_KIND == "database" else {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000},
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Optional sign-in through the province's directory (LDAP / Active Directory; the `ldap` extra): the directory
# checks the password of an active chiso account, whose unit and role stay chiso's (docs/DEPLOY.md).
if os.environ.get("CHISO_LDAP_SERVER_URI"):
    from chiso.accounts.directory import with_directory_backend
    from chiso.accounts.directory.config import directory_settings

    globals().update(directory_settings(os.environ, start_tls=env_bool("CHISO_LDAP_START_TLS")))
    AUTHENTICATION_BACKENDS = with_directory_backend(AUTHENTICATION_BACKENDS)
# Django's rules, with messages worded for chiso's users (chiso.accounts.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "chiso.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "chiso.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "chiso.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "chiso.accounts.passwords.NumericPasswordValidator"},
]
# Invitation links (set your password) and "Quên mật khẩu" links work once and expire.
CHISO_INVITATION_MAX_AGE_SECONDS = int(os.environ.get("CHISO_INVITATION_DAYS", "7")) * 86400
PASSWORD_RESET_TIMEOUT = int(os.environ.get("CHISO_PASSWORD_RESET_HOURS", "24")) * 3600
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The name authenticator apps show beside the account (django-otp's otpauth:// link).
OTP_TOTP_ISSUER = "chiso"
# "Bắt buộc xác thực hai lớp cho điều phối viên": coordinators and admins must set up the second factor at their
# next sign-in before anything else opens (chiso.accounts.two_step_sign_in.RequireSecondFactorEnrolment).
CHISO_REQUIRE_SECOND_FACTOR = env_bool("CHISO_REQUIRE_SECOND_FACTOR")

# Login throttling (django-axes): lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CHISO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CHISO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "chiso" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["chiso.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CHISO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Front-end libraries come from the npm registry at setup time and are served from here, never from a CDN.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("CHISO_MEDIA_ROOT", VAR_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CHISO_UNIT_IMPORT_MAX_BYTES = 2 * 1024 * 1024
CHISO_RESULT_IMPORT_MAX_BYTES = 5 * 1024 * 1024
# A component scoring below this share of its maximum is flagged as low (the plans' "điểm thấp").
CHISO_LOW_SHARE = os.environ.get("CHISO_LOW_SHARE", "0.5")

# Mail goes to the console unless SMTP is configured: CHISO_EMAIL_HOST switches to SMTP.
EMAIL_BACKEND = os.environ.get(
    "CHISO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("CHISO_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("CHISO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CHISO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("CHISO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHISO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHISO_EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("CHISO_EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
# For CHISO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (one file per mail; used by tests).
EMAIL_FILE_PATH = os.environ.get("CHISO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("CHISO_EMAIL_FROM", "chiso <chiso@localhost>")
# Absolute links in mails; pages use relative ones.
CHISO_SITE_URL = os.environ.get("CHISO_SITE_URL", "http://127.0.0.1:8000")

# Background jobs (django-tasks): run in-process by default; CHISO_TASKS_BACKEND=database queues them in the
# database for `manage.py db_worker` processes. The reminder schedule is a thread in the web process unless
# CHISO_SCHEDULER=off (cron then runs `manage.py send_reminders`). See docs/ARCHITECTURE.md.
# In production (CHISO_PRODUCTION=1) jobs are queued for the worker and the web process runs no thread: the
# systemd timer runs `chiso run_periodic` (deploy/), unless CHISO_SCHEDULER=thread asks for the thread.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"
                     if os.environ.get("CHISO_TASKS_BACKEND", "database" if PRODUCTION else "") == "database"
                     else "django_tasks.backends.immediate.ImmediateBackend"}}
CHISO_SCHEDULER = os.environ.get("CHISO_SCHEDULER", "off" if PRODUCTION else "thread")
CHISO_SCHEDULER_FIRST_DELAY_SECONDS = int(os.environ.get("CHISO_SCHEDULER_FIRST_DELAY_SECONDS", "120"))
CHISO_REMINDER_INTERVAL_MINUTES = int(os.environ.get("CHISO_REMINDER_INTERVAL_MINUTES", "60"))
CHISO_REMINDER_DAYS_BEFORE = int(os.environ.get("CHISO_REMINDER_DAYS_BEFORE", "7"))
# Deadlines passed longer ago than this are no longer reminded one by one (they stay in the digest).
CHISO_REMINDER_LOOKBACK_DAYS = int(os.environ.get("CHISO_REMINDER_LOOKBACK_DAYS", "45"))
# Health and periodic jobs (chiso.ops): the scheduler queues a heartbeat job every interval; /healthz fails
# when the worker has not run one for CHISO_HEARTBEAT_MAX_AGE_SECONDS, or the disk is nearly full.
CHISO_HEARTBEAT_INTERVAL_SECONDS = int(os.environ.get("CHISO_HEARTBEAT_INTERVAL_SECONDS", "60"))
CHISO_HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("CHISO_HEARTBEAT_MAX_AGE_SECONDS", "300"))
CHISO_MIN_FREE_DISK_MB = int(os.environ.get("CHISO_MIN_FREE_DISK_MB", "500"))
CHISO_JOB_RESULTS_KEEP_DAYS = int(os.environ.get("CHISO_JOB_RESULTS_KEEP_DAYS", "30"))
# Backups (`chiso backup`): where archives go and how many nightly ones are kept.
CHISO_BACKUP_DIR = Path(os.environ.get("CHISO_BACKUP_DIR", VAR_DIR / "backups"))
CHISO_BACKUP_KEEP = int(os.environ.get("CHISO_BACKUP_KEEP", "14"))
# The one limit on what an uploaded .docx/.xlsx may unpack to (chiso.core.archives): evidence, imports.
CHISO_MAX_UNPACKED_MB = int(os.environ.get("CHISO_MAX_UNPACKED_MB", "100"))
# API (chiso.api): requests per token and minute (429 beyond), longest life of a token.
CHISO_API_RATE_PER_MINUTE = int(os.environ.get("CHISO_API_RATE_PER_MINUTE", "600"))
CHISO_API_TOKEN_MAX_DAYS = int(os.environ.get("CHISO_API_TOKEN_MAX_DAYS", "365"))
CHISO_EVIDENCE_MAX_BYTES = int(os.environ.get("CHISO_EVIDENCE_MAX_MB", "20")) * 1024 * 1024

CSRF_FAILURE_VIEW = "chiso.core.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("CHISO_SSL_REDIRECT", default=True)
    # The health check is called on the loopback by monitors that speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("CHISO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard error (journald under systemd). CHISO_LOG_JSON (default in production) writes one JSON
# object per line; CHISO_REQUEST_LOG (default in production) adds one line per request (chiso.ops.request_log).
LOG_JSON = env_bool("CHISO_LOG_JSON", default=PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "chiso.ops.request_log.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_JSON else {})}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHISO_LOG_LEVEL", "WARNING")},
    "loggers": {"chiso.request": {
        "level": "INFO" if env_bool("CHISO_REQUEST_LOG", default=PRODUCTION) else "WARNING",
        "handlers": ["console"], "propagate": False}},
}

# Optional error reporting to a Sentry-compatible server; nothing is imported without a DSN.
if os.environ.get("CHISO_SENTRY_DSN"):
    from chiso.ops.sentry import init_error_reporting

    init_error_reporting(os.environ["CHISO_SENTRY_DSN"], environment=os.environ.get("CHISO_SENTRY_ENVIRONMENT",
                         "production" if PRODUCTION else "development"), release="chiso")

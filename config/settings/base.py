"""Settings shared by every environment. The environment is read here and nowhere else."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Embedded mode (no environment at all) is for a laptop: DEBUG on, a throwaway key.
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="embedded-mode-only-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "Sponsor Management System"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_email",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_q",
    # Serves its bundled Swagger UI for /api/v1/docs, rather than loading it from a CDN.
    "ninja",
    "sponsorship.core",
    "sponsorship.audit",
    "sponsorship.accounts",
    "sponsorship.licences",
    "sponsorship.certificates",
    "sponsorship.duties",
    "sponsorship.records",
    "sponsorship.bulk",
    "sponsorship.notifications",
    "sponsorship.casework",
    "sponsorship.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sponsorship.api.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sponsorship.accounts.middleware.IdleTimeoutMiddleware",
    "sponsorship.accounts.middleware.SignInStepsMiddleware",
    "sponsorship.core.middleware.PermissionMiddleware",
    "sponsorship.core.middleware.ApplicationErrorMiddleware",
    # Last, as its documentation asks: it turns lockouts into our own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sponsorship" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sponsorship.core.context_processors.service",
            ],
        },
    },
]

# Databases: the embedded default is SQLite in var/; DATABASE_URL selects PostgreSQL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sponsorship.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock at BEGIN, so two writers queue instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every process (sign-in throttles, API rate limits). Redis when
# REDIS_URL is set, otherwise a table in the database so the embedded mode needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sponsorship_cache",
        }
    }

# Background jobs: django-q2, on the ORM broker unless Redis is configured.
Q_CLUSTER = {
    "name": "sponsorship",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 1000,
    "label": "Background jobs",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 2

# The daily sweep runs these steps in order; each takes `today` and is idempotent.
DAILY_SWEEP_STEPS = [
    "sponsorship.licences.services.message_archive_expired",
    "sponsorship.licences.services.allocation_lapse_ended",
    "sponsorship.licences.services.allocation_renew_automatically",
    "sponsorship.certificates.services.certificates_expire",
    "sponsorship.duties.services.duties_raise_on_schedule",
    "sponsorship.duties.services.reminders_send",
]

# Users and sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "sponsorship.accounts.password_policy.LengthValidator"},
    {"NAME": "sponsorship.accounts.password_policy.CharacterClassValidator"},
    {"NAME": "sponsorship.accounts.password_policy.NoWhitespaceValidator"},
    {"NAME": "sponsorship.accounts.password_policy.NotPersonalValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Lockout: three wrong passwords for one user ID lock it (DOMAIN.md "Sign-in and session").
ACCOUNT_LOCKOUT_MINUTES = env.int("ACCOUNT_LOCKOUT_MINUTES", default=30)
AXES_FAILURE_LIMIT = 3
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=ACCOUNT_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sponsorship.accounts.views.sign_in.locked_out_response"
AXES_USERNAME_CALLABLE = "sponsorship.accounts.lockout.username_for_lockout"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
# Per-IP throttle, separate from the per-user lockout, so one office behind a NAT
# is not locked out by a single colleague's typing.
SIGN_IN_IP_LIMIT = env.int("SIGN_IN_IP_LIMIT", default=30)
SIGN_IN_IP_WINDOW_SECONDS = env.int("SIGN_IN_IP_WINDOW_SECONDS", default=15 * 60)
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks for per-IP locking too. We lock by user ID only, on purpose, and
    # throttle per IP separately (sponsorship.accounts.throttle): a shared office
    # address must not be locked out by one colleague's typing.
    "axes.W006",
]

# Sessions end after 20 minutes without activity; the browser forgets them on close.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=20)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# One-time passcodes: required for these levels; others may opt in.
OTP_REQUIRED_LEVELS = env.list("OTP_REQUIRED_LEVELS", default=["LEVEL_1", "CASEWORKER"])
OTP_EMAIL_TOKEN_VALIDITY = 10 * 60
# E-mailed passcodes per user per window, so "send a new passcode" cannot flood a mailbox.
PASSCODE_SEND_LIMIT = env.int("PASSCODE_SEND_LIMIT", default=5)
PASSCODE_SEND_WINDOW_SECONDS = 15 * 60
OTP_EMAIL_THROTTLE_FACTOR = 1
OTP_TOTP_ISSUER = SERVICE_NAME

# E-mail: embedded mode writes each message to a file under var/mail/.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@sponsor.example.org")

# API
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=120)
API_PAGE_SIZE_MAX = 100

# Uploaded evidence: kept outside the web root and served only through views that check who
# is asking (MEDIA_URL is never routed).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "uploads")
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Licence management (DOMAIN.md "Licence", "Allocations", "Home Office side").
# Working days a caseworker aims to decide each queue's requests in.
CASEWORK_TARGET_WORKING_DAYS = {
    "users": env.int("CASEWORK_TARGET_USERS", default=5),
    "changes": env.int("CASEWORK_TARGET_CHANGES", default=20),
    "allocations": env.int("CASEWORK_TARGET_ALLOCATIONS", default=90),  # "up to 18 weeks"
    "status": env.int("CASEWORK_TARGET_STATUS", default=10),
    # DOMAIN.md: defined certificates are usually decided within one working day.
    "defined": env.int("CASEWORK_TARGET_DEFINED", default=1),
}
# Sources disagree: 20 working days for every organisation change, 10 for key personnel.
KEY_PERSONNEL_CHANGE_WORKING_DAYS = env.int("KEY_PERSONNEL_CHANGE_WORKING_DAYS", default=20)
# The renewal window opens this many days before an allocation year ends.
ALLOCATION_RENEWAL_WINDOW_DAYS = env.int("ALLOCATION_RENEWAL_WINDOW_DAYS", default=90)
# A-rated sponsors are renewed automatically this many days before the year ends, with the
# same number as the last year: its "limit" (the allocation) or what it "used".
ALLOCATION_AUTO_RENEWAL_DAYS_BEFORE = env.int("ALLOCATION_AUTO_RENEWAL_DAYS_BEFORE", default=30)
ALLOCATION_AUTO_RENEWAL_BASIS = env.str("ALLOCATION_AUTO_RENEWAL_BASIS", default="limit")
# Extra folders of going-rate editions (certificates/data/editions is always read); see
# docs/how-to/load-a-going-rate-edition.md.
GOING_RATE_EDITIONS_DIRS: list[str] = env.list("GOING_RATE_EDITIONS_DIRS", default=[])
# Called inside a revocation's transaction, each as step(sponsor=, actor=): other apps' part of
# revoking (live certificates are cancelled; the register ends every worker's sponsorship).
LICENCE_REVOCATION_STEPS: list[str] = [
    "sponsorship.certificates.services.certificates_cancel_on_revocation",
    "sponsorship.duties.services.workers_end_on_revocation",
]
# Where the service is reached, for links in e-mails (reminders link to the duty).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Called inside the transaction of a Home Office change to a certificate (used, outcome,
# cancelled), each as step(certificate=, actor=): the register follows the certificate.
CERTIFICATE_CHANGED_STEPS: list[str] = ["sponsorship.duties.services.worker_sync"]
# Called inside the transaction of a submitted change of circumstances (or key personnel change),
# each as step(request=, actor=): the duty to report it is met.
CHANGE_REPORTED_STEPS: list[str] = ["sponsorship.duties.services.organisation_change_reported"]
# Records are kept for RECORD_RETENTION_MONTHS (a dated rule) after sponsorship ends. Sources
# disagree whether that is the "later" or the "earlier" of that date and the end of the
# permission: DOMAIN.md "Record keeping".
RECORD_RETENTION_BASIS = env.str("RECORD_RETENTION_BASIS", default="later")
# Student Sponsor status needs a track record: years the licence must have been held.
STUDENT_SPONSOR_STATUS_MIN_YEARS = env.int("STUDENT_SPONSOR_STATUS_MIN_YEARS", default=4)

# Internationalisation
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [VAR_DIR / "static-build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "sponsorship": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

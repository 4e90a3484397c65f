"""Settings for the test suite: fast hashing, mail kept in memory, a local cache."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
Q_CLUSTER = {"name": "sponsorship-test", "orm": "default", "sync": True}
Q_CLUSTER["timeout"] = 60
Q_CLUSTER["retry"] = 120
# Static files come from the finders in tests; whitenoise needs its root to exist.
STATIC_ROOT = VAR_DIR / "static-test"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Threads in tests (the live server, concurrent writers) must not keep connections open,
# or the test databases cannot be dropped afterwards.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Uploaded evidence in tests never mixes with the demo's.
MEDIA_ROOT = VAR_DIR / "uploads-test"

# Several runs of the suite may share one PostgreSQL server at once (parallel local runs): each
# run gets its own test database names, so no run drops another's database mid-test.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_run}"}
    # A test database is thrown away after the run: a commit need not wait for the disk.
    # What the tests see (locks, isolation, constraints) is unchanged.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

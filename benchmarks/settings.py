"""Settings for benchmarks: production-like request handling on a scratch database.

The portal's settings are loaded in development mode (so no secrets or PostgreSQL are required),
then the things that change timings are set as in production: DEBUG off (no query log, no
template debug information) and cached template loading. DATABASE_URL is set by the benchmark
script to its scratch database before Django starts.
"""

import os
import warnings

os.environ.setdefault("DJANGO_DEBUG", "1")

from academy.settings.base import *  # noqa: F403

DEBUG = False
TEMPLATES[0]["OPTIONS"]["debug"] = False  # noqa: F405
ALLOWED_HOSTS = ["testserver", "localhost"]
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# WhiteNoise looks for collected static files, which in-process requests do not need.
warnings.filterwarnings("ignore", message="No directory at")

"""Portal settings, read from environment variables only.

With no environment set the portal runs embedded: SQLite, console email and a Celery broker on
the local filesystem. Production values are checked at start-up so a bad or missing one fails
loudly instead of running insecurely.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.core.checks.security.base import SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_UNIQUE_CHARACTERS
from django.core.exceptions import ImproperlyConfigured

# Lets ModelAdmin[Model], QuerySet[Model] etc. be subscripted at run time, as the type stubs do.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    # Local development only: a fixed key keeps sessions across restarts of `make run`.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-development-key-do-not-deploy")
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For local development run `make run`, or set DJANGO_DEBUG=1."
        ) from exc
    # The rule of Django's own deploy check (security.W009): 50 characters, at least 5 of them distinct.
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or SECRET_KEY.startswith(("insecure", "django-insecure")):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters.")
    if len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too weak for production: it has only {len(set(SECRET_KEY))} distinct characters. "
            "Generate a random one, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the portal's host names when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.str("ACADEMY_SITE_NAME", default="Care Career Academy")
# Funders number quarters from the start of their financial year (April in the UK public sector).
FINANCIAL_YEAR_START_MONTH = env.int("FINANCIAL_YEAR_START_MONTH", default=4)
SITE_URL = env.str("ACADEMY_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "academy",
    "providers",
    "candidates",
    "courses",
    "placements",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "academy.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses an oversized body by its Content-Length before anything reads it (CSRF reads POST in
    # process_view, which never runs when this answers first).
    "academy.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "academy.middleware.StaffSessionIdleMiddleware",
    "academy.middleware.MfaRequiredMiddleware",
    "academy.middleware.AcademyInUseMiddleware",
    # Last, so it sees the failed login that the views above recorded.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

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
                "academy.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif not DEBUG and not env.bool("ACADEMY_ALLOW_SQLITE", default=False):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL when DJANGO_DEBUG is off "
        "(set ACADEMY_ALLOW_SQLITE=1 to run a single-machine trial on SQLite)."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "academy.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "academy:home"

# django-allauth: email is the login; learners sign up themselves and must verify their email.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "academy.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# django-axes owns failed-login lockout; allauth's own login_failed limit would answer first and hide it.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Labels and one message per field in the Design System's words (academy/account_forms.py).
ACCOUNT_FORMS = {
    "login": "academy.account_forms.AcademyLoginForm",
    "signup": "academy.account_forms.AcademySignupForm",
    "reset_password": "academy.account_forms.AcademyResetPasswordForm",
    "reset_password_from_key": "academy.account_forms.AcademyResetPasswordKeyForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "academy.adapters.MfaAdapter"
MFA_TOTP_ISSUER = SITE_NAME
# Roles that see special-category data (provider users see DBS outcomes) must have TOTP and pass it at
# every sign-in (academy.middleware.MfaRequiredMiddleware); so must anyone with Django admin access.
MFA_REQUIRED_ROLES = ["staff", "manager", "provider"]
# Wrong TOTP or recovery codes: this many within the window lock code sign-in for the lockout time
# (academy.mfa; counted in the shared cache, audited as `mfa.lockout`).
MFA_FORMS = {
    "authenticate": "academy.mfa.LimitedAuthenticateForm",
    "reauthenticate": "academy.mfa.LimitedReauthenticateForm",
    "activate_totp": "academy.mfa.VerifiedActivateTOTPForm",
}
MFA_FAILURE_LIMIT = env.int("MFA_FAILURE_LIMIT", default=5)
MFA_FAILURE_WINDOW_MINUTES = env.int("MFA_FAILURE_WINDOW_MINUTES", default=15)
MFA_LOCKOUT_MINUTES = env.int("MFA_LOCKOUT_MINUTES", default=30)
# Public forms that create records (registering interest in an event): uses per client address per hour
# (academy.rate_limit, counted in the shared cache).
PUBLIC_FORM_LIMIT_PER_HOUR = env.int("PUBLIC_FORM_LIMIT_PER_HOUR", default=10)
if PUBLIC_FORM_LIMIT_PER_HOUR < 1:
    raise ImproperlyConfigured("PUBLIC_FORM_LIMIT_PER_HOUR must be 1 or more.")

# django-axes: lock an account after repeated failures; allauth passes the email as "email".
# Keyed on the account, not the address: people behind one college or library address are not locked
# out together, and changing address does not lift a lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# The client's address (recorded with each failure) behind the TLS proxy: see academy.client_ip.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front.")
AXES_CLIENT_IP_CALLABLE = "academy.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False

# Staff and managers are signed out after this much inactivity; learners use the cookie age.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
# static/build holds the compiled front end (npm run build); static/ holds our own files.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Files (documents, certificates, reports, exports): the local media folder, or, with a bucket named, an
# S3-compatible store shared by every web node and worker. Objects stay private: no public URLs (every
# download goes through a view that checks permission and audits); credentials come from boto3's usual
# chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role).
S3_BUCKET = env.str("DJANGO_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("DJANGO_S3_REGION", default="") or None,
            "location": env.str("DJANGO_S3_PREFIX", default=""),
            "addressing_style": env.str("DJANGO_S3_ADDRESSING_STYLE", default="auto"),
            "default_acl": None,  # the bucket's own policy, which must be private
            "querystring_auth": True,  # any URL the storage makes is signed and short-lived
            "querystring_expire": env.int("DJANGO_S3_URL_EXPIRY_SECONDS", default=60),
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env.bool("DJANGO_S3_ENCRYPT", default=True)
            else {},
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Widgets crispy-forms-gds does not know by name get the Design System's input class too (phone boxes
# would otherwise render unstyled, as a tiny box).
CRISPY_CLASS_CONVERTERS = {
    "telinput": "govuk-input",
    "numberinput": "govuk-input",
    "urlinput": "govuk-input",
    "dateinput": "govuk-input",
    "timeinput": "govuk-input",
}

# Email: console unless an SMTP URL is given (smtp+tls://user:password@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Messages to people (academy.notifications): "django" sends email through EMAIL_URL above and writes texts
# to the log (the embedded default); "notify" sends both through GOV.UK Notify. Our templates are the
# wording: Notify gets them rendered, through one generic email template ("((subject))" and "((body))")
# and one generic text template ("((body))"), so every word is reviewed in this repository.
NOTIFICATIONS_BACKEND = env.str("NOTIFICATIONS_BACKEND", default="django")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
# The bearer token Notify sends with delivery receipts (set in Notify's "Callbacks" page).
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=20)
# How long the list of messages sent to a person (on their record) is kept.
NOTIFICATIONS_KEEP_DAYS = env.int("NOTIFICATIONS_KEEP_DAYS", default=365)


def _notify_settings_check() -> None:
    import re
    import uuid

    if NOTIFICATIONS_BACKEND not in ("django", "notify"):
        raise ImproperlyConfigured(
            f"NOTIFICATIONS_BACKEND must be 'django' or 'notify', not {NOTIFICATIONS_BACKEND!r}."
        )
    if not 1 <= NOTIFICATIONS_KEEP_DAYS <= 3650 or not 1 <= NOTIFY_TIMEOUT_SECONDS <= 120:
        raise ImproperlyConfigured(
            "NOTIFICATIONS_KEEP_DAYS must be 1 to 3650 days and NOTIFY_TIMEOUT_SECONDS 1 to 120 seconds."
        )
    if NOTIFY_CALLBACK_TOKEN and len(NOTIFY_CALLBACK_TOKEN) < 32:
        raise ImproperlyConfigured("NOTIFY_CALLBACK_TOKEN must be at least 32 random characters.")
    if NOTIFICATIONS_BACKEND != "notify":
        return
    # A Notify API key is "<name>-<service id (uuid)>-<secret (uuid)>".
    if not re.fullmatch(r".+-[0-9a-f-]{36}-[0-9a-f-]{36}", NOTIFY_API_KEY):
        raise ImproperlyConfigured(
            "NOTIFY_API_KEY must be set to a GOV.UK Notify API key (name-service id-secret) "
            "when NOTIFICATIONS_BACKEND is 'notify'."
        )
    for name, value in (
        ("NOTIFY_EMAIL_TEMPLATE_ID", NOTIFY_EMAIL_TEMPLATE_ID),
        ("NOTIFY_SMS_TEMPLATE_ID", NOTIFY_SMS_TEMPLATE_ID),
    ):
        try:
            uuid.UUID(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be the id (a UUID) of a template in your Notify service.") from exc
    if not NOTIFY_BASE_URL.startswith("https://") and not DEBUG:
        raise ImproperlyConfigured("NOTIFY_BASE_URL must be an https:// address when DJANGO_DEBUG is off.")
    if not NOTIFY_CALLBACK_TOKEN:
        raise ImproperlyConfigured(
            "NOTIFY_CALLBACK_TOKEN must be set when NOTIFICATIONS_BACKEND is 'notify', to accept delivery receipts."
        )


_notify_settings_check()

# Cache (two-factor lockouts, TOTP replay protection): Redis shared by every node in production, per-process
# memory in the embedded default. Sessions and sign-in lockouts (axes) are in the database, shared already.
if env.str("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DJANGO_DEBUG is off: the Celery broker and the cache that holds two-factor "
        "lockouts must be shared by every web node and worker."
    )

# Celery: Redis when REDIS_URL is set, otherwise a broker on the local filesystem that needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message taken by a worker that then died whole (main process included) is delivered again after
    # this many seconds; a killed pool child's message is put back at once (acks_late, reject_on_worker_lost).
    # Keep it longer than any task runs. Fault tests shorten it (CELERY_VISIBILITY_TIMEOUT) to see it happen.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    # kombu raises FileNotFoundError on a missing folder, so every process that reads these settings
    # (web, worker, any command that enqueues) makes them; CELERY_FILESYSTEM_DIR moves them.
    _broker_root = env.path("CELERY_FILESYSTEM_DIR", default=VAR_DIR)
    _broker_dir, _control_dir = Path(_broker_root) / "celery-broker", Path(_broker_root) / "celery-control"
    for _folder in (_broker_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_control_dir),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One beat per deployment, enforced by a lock in Redis (academy/beat.py).
CELERY_BEAT_SCHEDULER = "academy.beat:SingleBeatScheduler"
# Files built in the background (exports, reports): kept this long for the person who asked, then deleted.
FILE_JOB_KEEP_HOURS = env.int("FILE_JOB_KEEP_HOURS", default=24)
FILE_JOB_TIME_LIMIT_SECONDS = env.int("FILE_JOB_TIME_LIMIT_SECONDS", default=3600)
if FILE_JOB_KEEP_HOURS < 1 or FILE_JOB_TIME_LIMIT_SECONDS < 60:
    raise ImproperlyConfigured("FILE_JOB_KEEP_HOURS must be at least 1 and FILE_JOB_TIME_LIMIT_SECONDS at least 60.")

CELERY_BEAT_SCHEDULE = {
    # Emails whose first send failed or never reached the broker (academy.outbox).
    "outbox-sweep": {
        "task": "academy.tasks.outbox_sweep_task",
        "schedule": timedelta(minutes=1),
    },
    # Saved job searches: new matching vacancies, once a day (weekly alerts on their day), after the board
    # closed yesterday's vacancies and in the morning, so texts are inside their hours.
    "placements-job-alerts-sweep": {
        "task": "placements.tasks.job_alerts_sweep_task",
        "schedule": crontab(hour=8, minute=15),
    },
    "file-jobs-sweep": {
        "task": "academy.tasks.file_jobs_sweep_task",
        "schedule": timedelta(minutes=5),
    },
    "sessions-clear-expired": {
        "task": "academy.tasks.sessions_clear_expired_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # Cohorts move by date and capacity just after midnight, so the day's pages show them right.
    "courses-cohorts-advance-status": {
        "task": "courses.tasks.cohorts_advance_status_task",
        "schedule": crontab(hour=0, minute=20),
    },
    # Vacancies whose closing date passed leave the job board just after midnight.
    "placements-vacancies-close-expired": {
        "task": "placements.tasks.vacancies_close_expired_task",
        "schedule": crontab(hour=0, minute=10),
    },
    "courses-offers-expire": {
        "task": "courses.tasks.offers_expire_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "courses-pauses-lapse": {
        "task": "courses.tasks.enrolments_lapse_pauses_task",
        "schedule": crontab(hour=5, minute=30),
    },
    "candidate-imports-purge": {
        "task": "candidates.tasks.candidate_imports_purge_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # DBS reminders go out in the morning, when people read them; purging details runs overnight.
    "dbs-reminders-sweep": {
        "task": "candidates.tasks.dbs_reminders_sweep_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # Each interview starting within a day is reminded once (claimed by a conditional update); hourly, so a
    # reminder goes about a day before whatever the interview's time.
    "placements-interviews-remind": {
        "task": "placements.tasks.interviews_remind_task",
        "schedule": crontab(minute=5),
    },
    # Providers are asked for readiness feedback in the morning, after placements and four weeks into a job.
    "placements-readiness-feedback-sweep": {
        "task": "placements.tasks.readiness_feedback_sweep_task",
        "schedule": crontab(hour=9, minute=0),
    },
    "dbs-purge-certificate-details": {
        "task": "candidates.tasks.dbs_purge_certificate_details_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Sustained-employment follow-ups: employers and staff are asked in the morning.
    "placements-follow-ups-sweep": {
        "task": "placements.tasks.follow_ups_sweep_task",
        "schedule": crontab(hour=8, minute=30),
    },
    # The quarterly impact report of each academy, for the quarter just ended (once: a unique constraint).
    "reporting-impact-reports-schedule": {
        "task": "reporting.tasks.impact_reports_schedule_task",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=6, minute=0),
    },
    # Reports whose worker died, or whose message never reached the broker, are queued again.
    "reporting-impact-reports-sweep": {
        "task": "reporting.tasks.impact_reports_sweep_task",
        "schedule": timedelta(minutes=10),
    },
}

# Production hardening; `manage.py check --deploy` reports nothing with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way decision for the deploying organisation, not for the code.
    "security.W021",
    # axes warns when the address is not part of the lockout key; ours is keyed on the account on purpose
    # (AXES_LOCKOUT_PARAMETERS above): rotating addresses, agents or cookies does not lift it.
    "axes.W006",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors": {"()": "academy.errors.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The Django admin is for emergencies by superusers; its path is configurable to keep it out of scans.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="django-admin/")
# A failed CSRF check is almost always a page left open across a sign-in elsewhere: say so in words.
CSRF_FAILURE_VIEW = "academy.errors.csrf_failure"

# Candidates
# The lowest literacy/numeracy level accepted at screening (candidates.models.SkillLevel values).
SCREENING_MINIMUM_LEVEL = env.str("SCREENING_MINIMUM_LEVEL", default="entry_3")
DOCUMENT_MAX_UPLOAD_MB = env.int("DOCUMENT_MAX_UPLOAD_MB", default=10)
CANDIDATE_IMPORT_MAX_ROWS = env.int("CANDIDATE_IMPORT_MAX_ROWS", default=5000)

# Request size. The largest file any form accepts (documents, certificates, a CSV import of about 1 KB a
# row), plus a megabyte for the other fields: a bigger body is refused with 413 before it is read
# (academy.middleware.RequestBodyLimitMiddleware). The proxy in front caps it too (README).
UPLOAD_MAX_MB = max(DOCUMENT_MAX_UPLOAD_MB, -(-CANDIDATE_IMPORT_MAX_ROWS // 1000))
REQUEST_MAX_BODY_BYTES = (UPLOAD_MAX_MB + 1) * 1024 * 1024
# A body other than files (form fields) is refused above this; an uploaded file above the other is
# streamed to a temporary file instead of memory (both Django's defaults, stated here on purpose).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000  # bulk actions post one field per selected candidate

# Courses
# Learners whose attendance falls below this percentage are flagged to staff.
ATTENDANCE_FLAG_BELOW_PERCENT = env.int("ATTENDANCE_FLAG_BELOW_PERCENT", default=80)
# How long a learner has to accept an offered place before it may be offered to the waiting list.
COURSE_OFFER_VALID_DAYS = env.int("COURSE_OFFER_VALID_DAYS", default=5)
# A learner paused this many days without rejoining a later cohort is recorded as "did not complete"
# (daily task), so they stay in the completion rate instead of dropping out of it.
COURSE_PAUSE_LAPSES_AFTER_DAYS = env.int("COURSE_PAUSE_LAPSES_AFTER_DAYS", default=90)
if COURSE_PAUSE_LAPSES_AFTER_DAYS < 1:
    raise ImproperlyConfigured("COURSE_PAUSE_LAPSES_AFTER_DAYS must be a whole number of days, 1 or more.")

# Placements: job applications
# A learner who completed a course promising a guaranteed interview and has had none this many days
# later is listed on staff's "interviews due" page.
GUARANTEED_INTERVIEW_DUE_DAYS = env.int("GUARANTEED_INTERVIEW_DUE_DAYS", default=10)
if GUARANTEED_INTERVIEW_DUE_DAYS < 0:
    raise ImproperlyConfigured("GUARANTEED_INTERVIEW_DUE_DAYS must be a whole number of days, 0 or more.")
# A due follow-up is asked about this many times, this many days apart; unanswered after that it is "unknown".
FOLLOW_UP_MAX_ATTEMPTS = env.int("FOLLOW_UP_MAX_ATTEMPTS", default=3)
if not 1 <= FOLLOW_UP_MAX_ATTEMPTS <= 10:
    raise ImproperlyConfigured("FOLLOW_UP_MAX_ATTEMPTS must be a whole number from 1 to 10.")
FOLLOW_UP_RETRY_DAYS = env.int("FOLLOW_UP_RETRY_DAYS", default=7)
if not 1 <= FOLLOW_UP_RETRY_DAYS <= 60:
    raise ImproperlyConfigured("FOLLOW_UP_RETRY_DAYS must be a whole number of days from 1 to 60.")

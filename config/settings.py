"""Yishi settings: one file, read from the environment.

Unset variables give the embedded default (SQLite under var/, the in-memory
channel layer, console email). DATABASE_URL and REDIS_URL switch to PostgreSQL
and Redis. See the configuration table in README.md.
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YISHI_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def private_dir(path: Path) -> Path:
    """A folder only the site's own user may enter (0700): the database, its WAL, keys and backups are in it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def _development_secret_key() -> str:
    """Generate a secret key once into var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        private_dir(VAR_DIR)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 for development "
            "(a key is then generated once into var/)."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "channels",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "core",
    "audit",
    "community",
    "notifications",
    "ledger",
    "issues",
    "consult",
    "meetings",
    "polls",
    "insights",
    "api",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RequestAddressMiddleware",  # links in mail use the address people came to
    "core.middleware.RequestSizeMiddleware",  # 413 before anything reads the body
    "core.middleware.NulCharacterMiddleware",  # 400 (API: 422) for %00 in the address
    "core.middleware.SubmitOnceMiddleware",  # a form sent twice is done once (needs auth and messages)
    "core.middleware.RateLimitMiddleware",  # a service's RateLimited becomes a 429 page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "community.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise. IMMEDIATE
# transactions take the write lock up front, so select_for_update() being a
# no-op on SQLite does not let two writers interleave; the busy timeout makes
# the second writer wait instead of failing. Our backend (config/sqlite) lets the
# writers of one process queue for that lock in the process (see its docstring).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A pool per process (psycopg_pool): under ASGI every request and socket handler would
        # otherwise open a new connection, and a crowd connecting at once would wait on that.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2, "max_size": env_int("YISHI_DB_POOL_SIZE", 40), "timeout": 30,
        }
else:
    private_dir(VAR_DIR)
    DATABASES = {
        "default": {
            "ENGINE": "config.sqlite",
            "NAME": VAR_DIR / "yishi.sqlite3",
            # A file, not memory, so a Daphne process started by the browser tests shares it.
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "config.sqlite"):
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Secret polls' ballots live in a SQLite file of their own (polls/box.py, docs/voting.md); by default beside
# the database. Every process serving the site must see the same file.
YISHI_BALLOT_BOX = env_str("YISHI_BALLOT_BOX")

# Channel layer and cache: in memory for one process, Redis for many.
# With Redis the layer is pub/sub: a group send is one PUBLISH that each subscribed process
# receives once, and joining or leaving a group touches Redis only for a process's first or last
# member, so a crowd connecting or leaving at once cannot exhaust a connection pool (the list-based
# RedisChannelLayer opens a pooled connection per group_add/group_discard, and redis-py's pool
# raises instead of waiting once its 100 are in use). Each process holds one subscriber
# connection and publishes through one at a time, so a small pool suffices. The timeouts make
# a dead or unreachable Redis fail fast; the retries let a command on a pooled connection that
# a restarted Redis closed reconnect and go through (redis-py's pools retry nothing by default);
# the subscriber reconnects and re-subscribes by itself.
REDIS_URL = env_str("REDIS_URL")
REDIS_CONNECTION = {
    "socket_connect_timeout": 5,
    "socket_timeout": 5,
    "socket_keepalive": True,
    "health_check_interval": 10,  # PING an idle connection before use, so a dead one is replaced
}
if REDIS_URL:
    from redis.asyncio.retry import Retry as AsyncRetry
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    CHANNEL_LAYERS = {
        "default": {
            # channels_redis's RedisPubSubChannelLayer, plus a message on every local channel when the
            # subscription comes back after Redis was unreachable (what was published meanwhile is lost here).
            "BACKEND": "config.channel_layer.ReconnectAwarePubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 20, **REDIS_CONNECTION,
                                  "retry": AsyncRetry(ExponentialBackoff(cap=0.5, base=0.05), 3)}]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "config.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"max_connections": 50, **REDIS_CONNECTION,
                        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 3)},
        },
        # Rendered page fragments (core/fragments.py): shared by every process, so a write in one
        # invalidates what all of them serve.
        "fragments": {
            "BACKEND": "config.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fragments",
            "OPTIONS": {"max_connections": 50, **REDIS_CONNECTION,
                        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 3)},
        },
    }
else:
    # One process: each room's broadcasts reach the process's fan-out hub (core/fanout.py) through
    # one channel, which must hold a burst of them.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                                  "CONFIG": {"channel_capacity": [(re.compile(r"fanout\."), 10_000)]}}}
    # A real cache (not DummyCache): allauth's rate limits count in it.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Rendered page fragments (core/fragments.py), apart so that they never push rate-limit counters out.
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                      "OPTIONS": {"MAX_ENTRIES": 2000}},
        # Signed-in sessions, read from memory and written through to the database (which keeps them
        # across a restart): a request reads no session row. Room for every resident of a large
        # community (a session is a few hundred bytes).
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions",
                     "OPTIONS": {"MAX_ENTRIES": 100_000}},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"

AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "community:account"  # someone without a role yet: how to join a grid
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
# Where each role lands after signing in, the first role the person holds winning: the committee on its
# meetings, a grid worker on their queue, an organisation on its tasks, a resident on the home page.
YISHI_LANDING = [
    ("committee", "meetings:meeting-list"),
    ("grid_worker", "issues:issue-queue"),
    ("org_rep", "ledger:our-tasks"),
    ("moderator", "insights:home"),
    ("resident", "insights:home"),
]
SITE_ID = 1

# django-allauth: email is the login; email must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Yishi] "

# Abuse limits (docs/limits.md). Per person and action: core/limits.py (YISHI_RATE_LIMITS replaces an
# action's windows). Uploads: each photo 5 MB and 4 an issue, a PDF 10 MB, checked by content; the whole
# request at most YISHI_MAX_REQUEST_BYTES (413 otherwise); form fields at most 2.5 MB; at most 10 files.
YISHI_RATE_LIMITS: dict = {}
YISHI_MAX_REQUEST_BYTES = env_int("YISHI_MAX_REQUEST_BYTES", 104 * 1024 * 1024)  # four 25 MB photos and a form
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file, not held in memory
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupExtraForm"
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Email: the console unless an SMTP host is given (Django 6.1 mailers). Requests never talk to the mail
# server: the default mailer queues each message as a task (core/mail.py) and the worker sends it through
# "outgoing", retrying a failure (core/tasks.py). Tests replace every mailer with the in-memory outbox.
if env_str("EMAIL_HOST"):
    OUTGOING_MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", not env_bool("EMAIL_USE_SSL")),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": 20,
        },
    }
elif env_str("YISHI_EMAIL_DIR"):
    # Each message saved as a file: lets a separate process (or a person) read the mail.
    OUTGOING_MAILER = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": env_str("YISHI_EMAIL_DIR")},
    }
else:
    OUTGOING_MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {
    "default": {"BACKEND": "core.mail.QueuedEmailBackend", "OPTIONS": {"mailer": "outgoing"}},
    "outgoing": OUTGOING_MAILER,
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Yishi <noreply@yishi.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: English, Simplified Chinese and Tibetan.
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["config.formats"]  # one date format per language, 24-hour clock
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("bo", "བོད་ཡིག")]
# Django and django-allauth ship no Tibetan: locale-extra/ holds bo's translations of their strings that
# residents meet (sign-in, sign-up, form errors). It comes after locale/, which makemessages rewrites.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-extra"]
# Django's table of languages has no Tibetan; without an entry the language switcher cannot name it.
LANG_INFO.setdefault("bo", {"bidi": False, "code": "bo", "name": "Tibetan", "name_local": "བོད་ཡིག"})
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
if env_bool("YISHI_STATIC_COLLECTED", False):
    # `make serve` collected the files first: each served under a name with its content's hash, compressed,
    # and cached by browsers for good (WhiteNoise).
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    WHITENOISE_MANIFEST_STRICT = False
    WHITENOISE_USE_FINDERS = False
else:
    # Development and tests: WhiteNoise serves from the finders, so no collectstatic step is needed.
    WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Every uploaded file is served by core.files, which asks the rule of the app owning its folder whether the
# reader may see it (core imports no app). Behind nginx or Apache the web server may send the bytes once the
# view has decided: YISHI_MEDIA_SENDFILE=x-accel-redirect (with the internal location YISHI_MEDIA_INTERNAL_URL)
# or x-sendfile (README: "Behind a web server").
# Uploaded files only the site's user reads (the web server reads them too when it sends them: then set
# YISHI_MEDIA_GROUP_READABLE=1 and give it the group, with DJANGO_MEDIA_ROOT outside var/).
FILE_UPLOAD_PERMISSIONS = 0o640 if env_bool("YISHI_MEDIA_GROUP_READABLE", False) else 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750 if env_bool("YISHI_MEDIA_GROUP_READABLE", False) else 0o700
YISHI_MEDIA_RULES = {"issues": "issues.files.media_rule", "tasks": "ledger.files.media_rule",
                     "consultations": "consult.files.media_rule", "proxies": "polls.files.media_rule"}
YISHI_MEDIA_SENDFILE = env_str("YISHI_MEDIA_SENDFILE", "")
if YISHI_MEDIA_SENDFILE not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("YISHI_MEDIA_SENDFILE is x-accel-redirect, x-sendfile or empty.")
YISHI_MEDIA_INTERNAL_URL = env_str("YISHI_MEDIA_INTERNAL_URL", "/internal-media/")

# Security headers. The policy forbids inline script and style everywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load-balancer probes speak plain HTTP
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"daphne": {"level": "WARNING"}},
}

# Product settings.
YISHI_SITE_NAME = _("Yishi")
# Where readers send corrections of a translation (the Tibetan pages invite them); empty: they are told to
# tell their grid worker or the committee.
YISHI_CONTACT_EMAIL = env_str("YISHI_CONTACT_EMAIL")
# Demo data of the apps above community, loaded in this order by `manage.py seed_demo` after the community exists.
YISHI_DEMO_LOADERS = ["issues.demo.load", "consult.demo.load", "meetings.demo.load", "polls.demo.load",
                      "polls.demo.load_owners", "community.demo.load_map"]
# Sections other apps add to a meeting's minutes draft on adjournment (meetings imports no later app).
YISHI_MINUTES_SECTIONS = ["polls.minutes.votes_section"]
# What the other apps refuse and erase when someone deletes their account (community imports no later app).
# Sections of "Download your data" that are not rows pointing to the person (docs/architecture.md).
YISHI_PERSONAL_DATA_HOOKS = ["polls.privacy"]
YISHI_ACCOUNT_DELETION_HOOKS = ["notifications.privacy", "issues.privacy", "consult.privacy", "meetings.privacy",
                                "polls.privacy"]
# What the apps that link tasks add when a task's progress is reported (ledger imports no later app).
YISHI_TASK_UPDATE_HOOKS = ["issues.services.timeline.task_updated"]
# Background work (django.tasks, stored in the database by django-tasks-db): `manage.py db_worker` runs the
# tasks, `manage.py run_scheduler` enqueues these periodic ones every so many seconds; `make run` starts both.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
YISHI_SCHEDULE = [
    ("issues.tasks.sweep_issues", 60),  # escalate past the response deadline, close past the rating window
    ("polls.tasks.close_due_polls", 60),  # a safety net: opening a poll also enqueues its close at its time
    ("notifications.tasks.send_digests", 300),  # each person at most one a day
    ("insights.tasks.send_early_warnings", 600),  # each spike once a week
    ("core.tasks.prune_task_results", 24 * 3600),
]
# What the later apps add to an issue's page, and the service triage calls to put a major issue before a
# consultation (issues imports no later app).
# How an app below notifications tells a person something that stays in their notifications list.
YISHI_NOTIFY = "notifications.services.notify"
YISHI_ISSUE_ACTIONS = {"consult": "consult.issue_actions.SEND_TO_CONSULTATION"}
YISHI_ISSUE_TO_CONSULTATION = "consult.services.send_issue_to_consultation"
# Where links in emails point; the address people open the site at.
# The site's address for links in mail. Unset, a mail sent while serving someone links to the address
# they came to, and the scheduler's mail (digests, deadlines) to the current site's domain (admin: Sites).
YISHI_BASE_URL = env_str("YISHI_BASE_URL")

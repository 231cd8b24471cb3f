"""Settings for `make bench`: the real settings, served as in production, plus one trivial view.

Everything comes from ``config.settings`` (read from the environment as usual: the runner sets
YISHI_VAR_DIR, DATABASE_URL and REDIS_URL); only what a plain-HTTP loopback benchmark needs
differs. A star import is the point here: the benchmark must measure the app's own settings.
"""

from config.settings import *  # noqa: F403

# Plain HTTP on 127.0.0.1 with DEBUG off: no HTTPS redirect, cookies that travel over HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# The baseline page lives in bench/urls.py, never in the app's URLs.
ROOT_URLCONF = "bench.urls"

# Seeding thousands of accounts must not spend minutes hashing passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Server errors go to stderr, where the runner counts them; requests themselves are not logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}, "django.security.csrf": {"level": "WARNING"}},
}

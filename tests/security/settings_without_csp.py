"""The site's settings without the Content Security Policy header, for a test server only.

The XSS tests open every page twice: as served (the policy on) and from a server started with this module
(``DJANGO_SETTINGS_MODULE=tests.security.settings_without_csp``), so that the sanitiser and the escaping
are shown to hold on their own. Nothing outside ``tests/`` imports it; deployments never see it.
"""

# The real settings, whole: a copy kept in step by hand would test something else.
from config.settings import *  # noqa: F403

SECURE_CSP = {}  # an empty policy: Django's middleware sends no Content-Security-Policy header

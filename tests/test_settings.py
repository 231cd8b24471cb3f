"""Settings come from the environment: each variable, read in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "pO3v-9Qz_Lr7xT2mWk8sYb4nH6cJ1dFgA5eRuV0iXoZ-tqw-Jm3Ns",
    "DJANGO_ALLOWED_HOSTS": "yishi.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(*names: str, **env: str) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deployment_check_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_it_refuses_to_start_unless_debugging():
    result = run("import django; django.setup()", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_in_development_a_secret_key_is_generated_once_into_var(tmp_path):
    first = read_settings("SECRET_KEY", DJANGO_DEBUG="1", YISHI_VAR_DIR=str(tmp_path))
    second = read_settings("SECRET_KEY", DJANGO_DEBUG="1", YISHI_VAR_DIR=str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == first["SECRET_KEY"]


def test_the_embedded_default_is_sqlite_immediate_and_the_in_memory_layer(tmp_path):
    s = read_settings("DATABASES", "CHANNEL_LAYERS", "CACHES", DJANGO_DEBUG="1", YISHI_VAR_DIR=str(tmp_path))
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "config.sqlite"
    assert db["NAME"] == str(tmp_path / "yishi.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and db["OPTIONS"]["timeout"] >= 5
    assert s["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert "DummyCache" not in s["CACHES"]["default"]["BACKEND"]


def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path):
    s = read_settings(
        "DATABASES", "CHANNEL_LAYERS", "CACHES",
        DJANGO_DEBUG="1", YISHI_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://yishi:pw@db.internal:5432/yishi",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    db = s["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"]) == ("django.db.backends.postgresql", "db.internal", "yishi")
    layer = s["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"] == "config.channel_layer.ReconnectAwarePubSubChannelLayer"
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from config.channel_layer import ReconnectAwarePubSubChannelLayer
    assert issubclass(ReconnectAwarePubSubChannelLayer, RedisPubSubChannelLayer)
    [host] = layer["CONFIG"]["hosts"]
    assert host["address"] == "redis://cache.internal:6379/0" and host["max_connections"] >= 10
    assert host["socket_connect_timeout"] and host["health_check_interval"]
    cache = s["CACHES"]["default"]
    assert cache["BACKEND"] == s["CACHES"]["fragments"]["BACKEND"] == "config.cache.SharedClientRedisCache"
    from django.core.cache.backends.redis import RedisCache

    from config.cache import SharedClientRedisCache
    assert issubclass(SharedClientRedisCache, RedisCache)
    assert cache["LOCATION"] == "redis://cache.internal:6379/0"


def test_email_is_queued_and_goes_out_to_the_console_unless_an_smtp_host_is_set(tmp_path):
    default = read_settings("MAILERS", DJANGO_DEBUG="1", YISHI_VAR_DIR=str(tmp_path))
    assert default["MAILERS"]["default"]["BACKEND"] == "core.mail.QueuedEmailBackend"
    assert default["MAILERS"]["outgoing"]["BACKEND"].endswith("console.EmailBackend")
    smtp = read_settings(
        "MAILERS", DJANGO_DEBUG="1", YISHI_VAR_DIR=str(tmp_path),
        EMAIL_HOST="smtp.example.org", EMAIL_PORT="2525", EMAIL_HOST_USER="u",
    )
    assert smtp["MAILERS"]["default"]["BACKEND"] == "core.mail.QueuedEmailBackend"
    mailer = smtp["MAILERS"]["outgoing"]
    assert mailer["BACKEND"].endswith("smtp.EmailBackend")
    assert (mailer["OPTIONS"]["host"], mailer["OPTIONS"]["port"]) == ("smtp.example.org", 2525)


def test_allowed_hosts_and_debug_come_from_the_environment(tmp_path):
    s = read_settings("ALLOWED_HOSTS", "DEBUG", **PRODUCTION)
    assert s == {"ALLOWED_HOSTS": ["yishi.example.org"], "DEBUG": False}

"""Configuration: typed environment readers that fail loudly, and production mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from partnerops.env import env_bool, env_days, env_email, env_int, env_list, env_url


def test_readers_return_typed_values_and_defaults() -> None:
    environ = {
        "FLAG": "yes",
        "COUNT": " 7 ",
        "HOSTS": "a.org, b.org,",
        "MAIL": "ops@x.org",
        "LINK": "https://x.org/m",
    }
    assert env_bool("FLAG", False, environ=environ) is True
    assert env_bool("MISSING", True, environ=environ) is True
    assert env_int("COUNT", 1, environ=environ) == 7
    assert env_list("HOSTS", [], environ=environ) == ["a.org", "b.org"]
    assert env_email("MAIL", "x@y.org", environ=environ) == "ops@x.org"
    assert env_url("LINK", "https://d.org", environ=environ) == "https://x.org/m"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda e: env_bool("DEBUG", False, environ=e), "DEBUG='maybe' is not a boolean"),
        (
            lambda e: env_int("EMAIL_PORT", 25, environ=e),
            "EMAIL_PORT='twenty' is not a whole number",
        ),
        (
            lambda e: env_int("PAGE_SIZE", 50, minimum=1, environ=e),
            "PAGE_SIZE=0 is below the minimum of 1",
        ),
        (
            lambda e: env_email("OPERATIONS_EMAIL", "a@b.org", environ=e),
            "OPERATIONS_EMAIL='ops-at-sponsor' is not a valid email",
        ),
        (
            lambda e: env_url("SCHEDULING_LINK", "https://a.org", environ=e),
            "SCHEDULING_LINK='calendly' is not a URL",
        ),
        (
            lambda e: env_days("RENEWAL_REMINDER_DAYS", [90], environ=e),
            "RENEWAL_REMINDER_DAYS: 'ninety' is not a whole number of days",
        ),
        (
            lambda e: env_days("INVOICE_OVERDUE_REMINDER_DAYS", [7], environ=e),
            "INVOICE_OVERDUE_REMINDER_DAYS: -7 days cannot be negative",
        ),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(call, message: str) -> None:  # type: ignore[no-untyped-def]
    environ = {
        "DEBUG": "maybe",
        "EMAIL_PORT": "twenty",
        "PAGE_SIZE": "0",
        "OPERATIONS_EMAIL": "ops-at-sponsor",
        "SCHEDULING_LINK": "calendly",
        "RENEWAL_REMINDER_DAYS": "90,ninety",
        "INVOICE_OVERDUE_REMINDER_DAYS": "7,-7",
    }
    with pytest.raises(ImproperlyConfigured, match=message):
        call(environ)


def _partnerops(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # A fresh process, as a deployment would start it: none of the test run's own settings.
    inherited = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [sys.executable, "-m", "partnerops", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_mode_refuses_the_development_secret_key(tmp_path: Path) -> None:
    result = _partnerops("check", env={"DEBUG": "0"}, cwd=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is the development default while DEBUG is off" in result.stderr


def test_production_mode_passes_the_deployment_checks(tmp_path: Path) -> None:
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "k8Jx2-production-like-secret-Qm9vbGVhbiBhbmQgbG9uZyBlbm91Z2g-ZGVwbG95",
        "ALLOWED_HOSTS": "partnerops.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = _partnerops("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_unsupported_database_url_is_refused(tmp_path: Path) -> None:
    result = _partnerops(
        "check", env={"DATABASE_URL": "mysql://root@localhost/partnerops"}, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "PartnerOps supports sqlite:// and postgres://" in result.stderr

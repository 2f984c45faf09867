import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 x cores + 1, unless WEB_CONCURRENCY says."""
    configured = os.environ.get("WEB_CONCURRENCY", "")
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise CommandError(f"WEB_CONCURRENCY={configured!r} is not a number of workers.")
        return int(configured)
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = (
        "Serve PartnerOps in production with gunicorn (behind a TLS proxy): several workers, "
        "timeouts, access log on standard output. Run migrate and collectstatic first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument(
            "--timeout", type=int, default=60, help="Seconds before a stuck worker is restarted."
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            help="The proxy's addresses, whose X-Forwarded-* headers are trusted.",
        )

    def argv(self, options: dict[str, Any]) -> list[str]:
        workers = options["workers"] or default_workers()
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        return [
            sys.executable, "-m", "gunicorn", "partnerops.wsgi:application",
            "--bind", options["bind"], "--workers", str(workers),
            "--timeout", str(options["timeout"]), "--graceful-timeout", "30",
            # Restart workers now and then: a slow leak never takes the service down.
            "--max-requests", "2000", "--max-requests-jitter", "200",
            "--access-logfile", "-", "--error-logfile", "-",
            "--forwarded-allow-ips", options["forwarded_allow_ips"],
        ]  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        argv = self.argv(options)
        self.stdout.write(f"Serving with gunicorn: {' '.join(argv[3:])}")
        self.stdout.flush()
        # gunicorn becomes this process: signals (TERM from systemd) go straight to it.
        os.execv(sys.executable, argv)  # noqa: S606 - a fixed argv, no shell

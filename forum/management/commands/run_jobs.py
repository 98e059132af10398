"""Run the periodic jobs in a loop (the compose ``scheduler`` service)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from forum.jobs import Job, default_jobs, run_due, run_forever


class Command(BaseCommand):
    help = "Run periodic jobs (counter flushes, cleanups) until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once:
            for name in run_due([Job(job.name, 0, job.run) for job in default_jobs()]):
                self.stdout.write(f"ran: {name}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write("Running periodic jobs; stop with SIGTERM or Ctrl-C.")
        run_forever(stop)

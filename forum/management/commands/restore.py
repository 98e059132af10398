"""Restore a backup made by `manage.py backup` into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forum.backup import BackupError, restore


class Command(BaseCommand):
    help = "Load DIRECTORY (from manage.py backup) into an empty database and media store."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = restore(directory)
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        expected, restored = report["expected"], report["restored"]
        for label in sorted(set(expected) | set(restored)):
            mark = "" if expected.get(label) == restored.get(label) else "  MISMATCH"
            self.stdout.write(
                f"{label}: {restored.get(label, 0)} of {expected.get(label, 0)}{mark}"
            )
        self.stdout.write(
            f"media files: {report['media_restored']} restored, "
            f"{report['media_skipped']} already there, of {report['media_expected']}"
        )
        if not report["matches"]:
            raise CommandError("the restored database or media differ from the backup")
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(restored.values())} rows."))

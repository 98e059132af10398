"""Back up the database and the uploaded files into a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forum.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write pg_dump (custom format), a media archive and a manifest into DIRECTORY."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            manifest = backup(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows} rows in {len(manifest['counts'])} tables and "
                f"{manifest['media_files']} media files to {directory}."
            )
        )

"""`backup`: write a consistent copy of the database while the app keeps running."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from apps.ops.backups import BackupError, backup_database, default_backup_path, describe
from apps.terminal import progress


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite through its online backup API, PostgreSQL with pg_dump --format=custom. "
        "Safe while the app runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="File to write (default: DATA_DIR/backups/certprep-<UTC timestamp>.sqlite3 or .pgdump).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, output, database, **options):
        settings_dict = connections[database].settings_dict
        try:
            output = output or default_backup_path(
                database=settings_dict, data_dir=settings.DATA_DIR, now=timezone.now()
            )
            with progress(self.stderr, "Backing up"):
                path = backup_database(database=settings_dict, output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {describe(path)}")

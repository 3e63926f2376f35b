"""`restore`: replace the database with a backup made by `backup` (stop the app first)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from apps.ops.backups import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by `backup`. The backup is checked first; "
        "a database that already holds data is only replaced with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .sqlite3 or .pgdump file written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Replace a database that already holds data.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, path, yes, database, **options):
        settings_dict = connections[database].settings_dict
        connections[database].close()  # SQLite: the file is about to be swapped under this connection
        try:
            restore_database(database=settings_dict, backup=path, confirmed=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {path} into {settings_dict['NAME']}. "
            "Run `manage.py migrate` if the backup is from an older version, then start the app."
        )

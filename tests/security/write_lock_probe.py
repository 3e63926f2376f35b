"""Run by test_rendering_outside_transactions.py in its own process, on a file SQLite database.

An import of a slow-but-valid file runs in a thread while the main thread saves rows as students' requests do
(one short write transaction each). Prints a JSON summary: how many saves ran during the import, how many
failed with "database is locked", and whether the import succeeded.
"""

import json
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import django


def main(folder):
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import OperationalError, connection, transaction

    from tests.factories import make_exam

    call_command("migrate", verbosity=0)
    make_exam(code="TST-C01")
    # Valid, within the Markdown limits, and slow to render: several seconds of link-heavy stems.
    stem = "Which of these links is right? " + "[a link](https://example.com/x) and " * 800
    gift = "".join(
        f"{stem} question {n}? {{\n  =Right {n}\n  ~Wrong {n}a\n  ~Wrong {n}b\n  ~Wrong {n}c\n}}\n\n" for n in range(12)
    )
    path = Path(folder) / "slow.gift"
    path.write_text(gift, encoding="utf-8")
    outcome = {}

    def run_import():
        try:
            out = StringIO()
            call_command("import_questions", str(path), "--set", "slow", "--exam", "TST-C01", stdout=out)
            outcome["import"] = out.getvalue()
        except Exception as exc:  # reported, not raised: the main thread prints the summary
            outcome["import"] = f"failed: {exc!r}"
        finally:
            connection.close()

    importer = threading.Thread(target=run_import)
    started = time.monotonic()
    importer.start()
    saves, locked = 0, 0
    User = get_user_model()
    while importer.is_alive():
        try:
            with transaction.atomic():
                User.objects.create(username=f"student-{saves}")
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            locked += 1
        saves += 1
        time.sleep(0.1)
    importer.join()
    print(
        json.dumps(
            {
                "saves": saves,
                "locked": locked,
                "seconds": round(time.monotonic() - started, 1),
                "import": outcome.get("import", ""),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])

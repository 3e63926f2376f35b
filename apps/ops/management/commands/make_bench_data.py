"""`make_bench_data`: the students of the classroom benchmark (bench/), the same every time for a seed."""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.exams.models import Attempt, ReviewCard
from apps.terminal import progress

PREFIX = "bench-student-"
# Public on purpose, like the demo accounts: bench students exist only in a benchmark database.
DEFAULT_PASSWORD = "bench-student-pass"  # noqa: S105


def username(number):
    return f"{PREFIX}{number:03d}"


def password_hash(password, seed):
    """One hash for every bench student, its salt taken from the seed: the same rows for the same seed, and one
    slow hash per run of the command instead of one per student."""
    salt = hashlib.sha256(f"certprep-bench-{seed}".encode()).hexdigest()[:22]
    return make_password(password, salt=salt)


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the benchmark's students bench-student-001 … with a known password. "
        "Idempotent: the same --students and --seed leave the database unchanged. For a benchmark database only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, required=True, help="How many students (1–999).")
        parser.add_argument("--seed", type=int, default=42, help="Seed of the password salt (default 42).")
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help=f"Their password (default {DEFAULT_PASSWORD!r})."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Also delete these students' attempts and review cards, so that a run starts from nothing.",
        )

    def handle(self, *args, students, seed, password, reset, **options):
        if not 1 <= students <= 999:
            raise CommandError("--students must be between 1 and 999.")
        User = get_user_model()
        encoded = password_hash(password, seed)
        wanted = {
            username(number): {
                "first_name": "Bench",
                "last_name": f"Student {number:03d}",
                "email": f"{username(number)}@bench.invalid",
                "password": encoded,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            }
            for number in range(1, students + 1)
        }
        created = updated = unchanged = 0
        with transaction.atomic(), progress(self.stderr, "Bench students", total=students) as advance:
            existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
            new_users = []
            for name, fields in wanted.items():
                advance()
                user = existing.get(name)
                if user is None:
                    new_users.append(User(username=name, **fields))
                    created += 1
                elif any(getattr(user, key) != value for key, value in fields.items()):
                    for key, value in fields.items():
                        setattr(user, key, value)
                    user.save(update_fields=list(fields))
                    updated += 1
                else:
                    unchanged += 1
            User.objects.bulk_create(new_users)
            if reset:
                _, attempts = Attempt.objects.filter(user__username__in=wanted).delete()
                cards, _ = ReviewCard.objects.filter(user__username__in=wanted).delete()
                self.stdout.write(
                    f"reset: {attempts.get('exams.Attempt', 0)} attempts and {cards} review cards deleted"
                )
        self.stdout.write(
            f"bench students: {created} created, {updated} updated, {unchanged} unchanged "
            f"({username(1)} … {username(students)}, seed {seed})"
        )

"""Passwords are stored with Argon2id at OWASP's parameters, and older hashes are upgraded at the next log-in."""

import os
import re
import subprocess
import sys

import argon2
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from config import settings as config_settings

ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"
PASSWORD = "carol-pass-1234"


@pytest.fixture
def real_hashers(settings):
    # tests/conftest.py swaps in a fast hasher for every test; these tests need the project's own list.
    settings.PASSWORD_HASHERS = config_settings.PASSWORD_HASHERS
    return settings


def test_new_passwords_are_hashed_with_argon2id(real_hashers, db):
    user = get_user_model().objects.create_user("carol", password=PASSWORD)
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "old_hash",
    [
        pytest.param(lambda: make_password(PASSWORD, hasher="pbkdf2_sha256"), id="pbkdf2"),
        pytest.param(
            lambda: (
                "argon2" + argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
            ),
            id="argon2-other-parameters",
        ),
    ],
)
def test_an_older_hash_is_upgraded_at_the_next_login(real_hashers, client, db, old_hash):
    user = get_user_model().objects.create_user("carol")
    user.password = old_hash()
    user.save(update_fields=["password"])
    response = client.post(reverse("login"), {"username": "carol", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_PREFIX)


def test_a_wrong_password_leaves_the_old_hash_alone(real_hashers, client, db):
    user = get_user_model().objects.create_user("carol")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client.post(reverse("login"), {"username": "carol", "password": "not-the-password"})
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")


# Four server threads hash at once, three times each, at the project's parameters; prints the MiB kept.
HASH_IN_THREADS = """
import threading
import argon2

def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024

def work():
    for _ in range(3):
        argon2.low_level.hash_secret(b"password", b"saltsaltsalt", 2, 19456, 1, 32, argon2.Type.ID)

before = rss()
threads = [threading.Thread(target=work) for _ in range(4)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
print(rss() - before)
"""


def kept_after_hashing(env):
    done = subprocess.run(
        [sys.executable, "-c", HASH_IN_THREADS], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_the_image_gives_back_the_memory_of_hashes_computed_in_several_threads():
    """Each Argon2id hash takes 19 MiB; glibc would keep that of every server thread that hashed (4 per worker)
    unless such blocks are mapped, as the image's MALLOC_MMAP_THRESHOLD_ asks."""
    threshold = re.search(r"MALLOC_MMAP_THRESHOLD_=(\d+)", (settings.BASE_DIR / "Dockerfile").read_text())
    assert threshold, "the image sets no MALLOC_MMAP_THRESHOLD_"
    without = {key: value for key, value in os.environ.items() if key != "MALLOC_MMAP_THRESHOLD_"}
    assert kept_after_hashing(without) >= 38  # what the setting is for (two hashes' worth at least)
    assert kept_after_hashing({**without, "MALLOC_MMAP_THRESHOLD_": threshold.group(1)}) < 10

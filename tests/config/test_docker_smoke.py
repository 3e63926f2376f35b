"""The production image's steps, run without Docker (config/docker_smoke.py, also `make docker-smoke`)."""

import pytest

from config import docker_smoke


@pytest.mark.skipif(not docker_smoke.postgres_is_reachable(), reason="needs PostgreSQL (SMOKE_POSTGRES_URL)")
def test_the_image_steps_build_migrate_and_serve_a_healthy_app_on_postgresql():
    steps = []
    docker_smoke.run(timeout=150, log=steps.append)  # raises on the first step that fails (slow when busy)
    assert steps[-1].startswith("docker smoke passed")
    assert any("/health/" in step for step in steps)

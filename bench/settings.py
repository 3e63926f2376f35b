"""Production settings plus the benchmark's URL map, which adds a trivial view (the framework's floor).

Selected with DJANGO_SETTINGS_MODULE=bench.settings by bench/run.py only; config/settings.py stays the one
settings module of the product.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

"""Settings for the test suite: the real settings with faster password hashing and inline jobs."""

import os

os.environ.setdefault("IEPARK_ALLOW_DEV_SECRET", "1")

from .settings import *  # noqa: E402,F403
from .settings import VAR_DIR  # noqa: E402

# Argon2 stays first in production settings (a test checks it); tests hash faster.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
IEPARK_TASK_RUNNER = "sync"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}

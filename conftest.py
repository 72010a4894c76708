"""Fixtures shared by every app's tests: the persona world and API clients."""

import pytest
from rest_framework.test import APIClient

from iepark.testing import build_world


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files (attachments) go to a temporary folder, never into the checkout's var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    """Return a factory of API clients logged in as a persona (or anonymous with None)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def browser_client(client):
    """Return a factory of Django test clients logged in as a persona."""
    from django.test import Client

    def make(user=None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make

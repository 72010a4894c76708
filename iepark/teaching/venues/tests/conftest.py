"""
The teaching tests read messages in English: services raise their errors in the active language,
and these tests name what they expect in the source language. Pages still answer in the language
each request asks for (zh-hans by default), as the page tests check.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def api(api):
    """API clients that ask for English, so tests can name the messages they expect (zh-hans is the default)."""

    def make(user=None):
        client = api(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make

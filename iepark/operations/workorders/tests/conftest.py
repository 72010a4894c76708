"""
The workorders tests read messages in English: services raise their errors in the active language,
and these tests name what they expect in the source language. Pages still answer in the language
each request asks for (zh-hans by default), as the page tests check.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield

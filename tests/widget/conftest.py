"""The widget's end-to-end tests use the session's shared guide (``tests/conftest.py``) and Chromium.

The guide serves the widget and its demo page at ``/widget/`` as ``make run``
does; each test opens the page in a fresh browser context, so every test
starts a new conversation. The browser (``browser``) and the screenshot
folder (``screenshot_dir``) are fixtures of ``tests/conftest.py`` too.
"""

from __future__ import annotations

import pytest

from tests.support import Guide


@pytest.fixture
def web_guide(guide: Guide) -> Guide:
    """The shared guide, seen from web pages: ``web_guide.url + '/widget/demo.html'``."""
    return guide

"""Helpers of the booking browser tests: where screenshots go; axe-core's verdict comes from tests/browser."""

from pathlib import Path

from tests.browser.helpers import assert_accessible

__all__ = ["SHOTS", "assert_accessible"]

SHOTS = Path("/tmp/shots/booking")

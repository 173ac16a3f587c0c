"""Helpers of the booking browser tests: axe-core's verdict and where screenshots go."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

SHOTS = Path("/tmp/shots/booking")


def assert_accessible(page):
    """No serious or critical axe-core violation on the page as it stands."""
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]]) for v in violations]
    serious = [violation for violation in serious if violation[1] in ("serious", "critical")]
    assert serious == [], serious

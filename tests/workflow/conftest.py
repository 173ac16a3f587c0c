import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning in Paris: the instant the frozen tests run at unless they travel elsewhere.
FROZEN_AT = datetime.datetime(2025, 3, 10, 9, 30, tzinfo=PARIS)


@pytest.fixture
def frozen_now():
    """Freeze time at FROZEN_AT (no ticking), so that dates and event times are exact."""
    with time_machine.travel(FROZEN_AT, tick=False):
        yield FROZEN_AT

"""Whatever a caller sends, parsing a report and checking its signature end in a result or a ReportError."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cafcases.notifications.webhooks import ReportError, parse_report, sign, signature_valid

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
REPORTS = st.fixed_dictionaries(
    {},
    optional={
        "message_id": JSON_VALUES | st.text(max_size=300),
        "status": st.sampled_from(["delivered", "failed", "read", ""]) | JSON_VALUES,
        "reason": JSON_VALUES | st.text(max_size=1200),
        "timestamp": JSON_VALUES | st.integers(min_value=-(10**20), max_value=10**20),
    },
)


def assert_parses_or_refuses(raw):
    """A clean report, or ReportError with a message: never another exception, never a NUL or an unbounded field."""
    try:
        report = parse_report(raw)
    except ReportError as error:
        assert str(error)
        return
    assert report.status in ("delivered", "failed")
    assert 0 < len(report.message_id) <= 200 and "\x00" not in report.message_id
    assert len(report.reason) <= 1000 and "\x00" not in report.reason
    report.message_id.encode("utf-8")
    report.reason.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes(raw):
    assert_parses_or_refuses(raw)


@settings(max_examples=300, deadline=None)
@given(REPORTS)
def test_any_json_object(payload):
    assert_parses_or_refuses(json.dumps(payload, allow_nan=True).encode())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.text(max_size=100))
def test_any_signature_header(raw, header):
    assert signature_valid(raw, header) is (header.strip() == sign(raw))
    assert signature_valid(raw, f" {sign(raw)} ")

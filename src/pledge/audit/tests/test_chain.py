import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pledge.audit.chain import canonical_details, canonical_row, timestamp_text


def test_the_canonical_time_is_utc_with_microseconds_whatever_the_zone():
    utc = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)
    amsterdam = utc.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert timestamp_text(utc) == timestamp_text(amsterdam) == "2026-11-27T08:00:00.000000"


def test_canonical_bytes_are_deterministic_and_ascii():
    at = datetime(2026, 11, 27, 8, 0, 0, 5, tzinfo=UTC)
    row = canonical_row(
        7, at, "login", "", "h1:abc", "", "", "", canonical_details({"b": 1, "a": "é"})
    )
    assert row == (
        b'["pledge-audit-v1",7,"2026-11-27T08:00:00.000005","login","","h1:abc","","","",'
        b'"{\\"a\\":\\"\\\\u00e9\\",\\"b\\":1}"]'
    )


def test_the_hand_written_canonical_form_is_exactly_compact_json():
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    awkward = ['quote " and \\ backslash', "tab\tnew\nline\x00", "ünïcödé €", "\U0001f600", ""]
    for text in awkward:
        row = canonical_row(12, at, "login", text, text, text, text, text, text)
        expected = json.dumps(
            ["pledge-audit-v1", 12, "2026-01-02T03:04:05.000000", "login", *[text] * 6],
            ensure_ascii=True,
            separators=(",", ":"),
        )
        assert row == expected.encode("ascii")

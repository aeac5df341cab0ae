"""The generator's answers for fixed requests are exactly the pinned ones (see snapshots.py)."""

import json

import pytest

from tests.planning.snapshots import SNAPSHOTS, answer, snapshot_requests

PINNED = json.loads(SNAPSHOTS.read_text())


def test_the_pinned_requests_are_the_generated_ones() -> None:
    assert [p["request"] for p in PINNED] == snapshot_requests()


@pytest.mark.parametrize("pinned", PINNED, ids=lambda p: f"{p['request']['event']}")
def test_same_bytes_as_pinned(pinned: dict[str, object]) -> None:
    got = answer(pinned["request"])  # type: ignore[arg-type]
    assert got == {"plan": pinned["plan"], "routine": pinned["routine"]}

"""Goals on both databases: baseline from the logs, current, ratio, trend, milestones, reached,
and goals in progress."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from tests.factories import Caller, make_athlete, set_body

ZONE = ZoneInfo("Europe/Paris")  # the factories' athletes live there


def today() -> date:
    return datetime.now(ZONE).date()


def log(
    client: TestClient, caller: Caller, athlete: dict[str, Any], day: date, exercise: str, **s: Any
) -> None:
    body = {
        "performed_at": f"{day.isoformat()}T08:00:00+01:00",
        "exercises": [{"exercise": exercise, "notes": None, "sets": [set_body(**s)]}],
    }
    r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=caller.headers)
    assert r.status_code == 201, r.text


def test_an_e1rm_goal_measured_from_the_logs(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    now = today()
    # 20 days ago: 10 × 60 kg at RIR 2 → e1RM 60 × (1 + 12/30) = 84 kg.
    log(
        client,
        alice,
        athlete,
        now - timedelta(days=20),
        "romanian-deadlift",
        reps=10,
        load_kg=60.0,
        rir=2,
        rpe=None,
    )
    target_date = now + timedelta(days=60)
    r = client.post(
        f"/v1/athletes/{athlete['id']}/goals",
        json={
            "kind": "e1rm",
            "exercise": "romanian-deadlift",
            "target": 100,
            "target_date": target_date.isoformat(),
        },
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    goal = r.json()
    assert goal["baseline"] == 84.0
    assert goal["current"] == 84.0
    assert goal["ratio"] == 0.0
    assert goal["start_date"] == now.isoformat()
    # Milestones every 4 weeks on a straight line from 84 to 100, the target date last.
    assert [m["date"] for m in goal["milestones"]] == [
        (now + timedelta(days=28)).isoformat(),
        (now + timedelta(days=56)).isoformat(),
        target_date.isoformat(),
    ]
    assert goal["milestones"][-1]["target"] == 100
    assert goal["milestones"][0]["target"] == round(84 + 16 * 28 / 60, 1)

    # 2 days ago: 10 × 70 kg at RIR 2 → 98 kg: 14 of the 16 kg to go.
    log(
        client,
        alice,
        athlete,
        now - timedelta(days=2),
        "romanian-deadlift",
        reps=10,
        load_kg=70.0,
        rir=2,
        rpe=None,
    )
    goal = client.get(
        f"/v1/athletes/{athlete['id']}/goals/{goal['id']}", headers=alice.headers
    ).json()
    assert goal["current"] == 98.0
    assert goal["ratio"] == 0.875
    # Weekly values 84 (3 and 2 weeks ago… as of 14 and 7 days ago) and 98 (now): the
    # least-squares line rises 1 kg a day and is at 95.67 today, so 100 in about 4 days.
    assert goal["projected_date"] == (now + timedelta(days=4)).isoformat()
    assert goal["on_track"] is True
    assert goal["reached_on"] is None

    # Progress carries the same goal.
    progress = client.get(f"/v1/athletes/{athlete['id']}/progress", headers=alice.headers).json()
    assert [g["id"] for g in progress["goals"]] == [goal["id"]]
    assert progress["goals"][0]["current"] == 98.0


def test_weekly_sessions_reached_and_changed(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    now = today()
    url = f"/v1/athletes/{athlete['id']}/goals"
    r = client.post(
        url,
        json={
            "kind": "weekly_sessions",
            "target": 1,
            "target_date": (now + timedelta(days=10)).isoformat(),
        },
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    goal = r.json()
    assert goal["baseline"] == 0.0
    assert goal["reached_on"] is None
    log(client, alice, athlete, now, "glute-bridge", reps=12, load_kg=0.0)
    goal = client.get(f"{url}/{goal['id']}", headers=alice.headers).json()
    assert goal["current"] == 1.0
    assert goal["reached_on"] == now.isoformat()
    assert goal["ratio"] == 1.0
    r = client.patch(
        f"{url}/{goal['id']}", json={"target": 2}, headers={**alice.headers, "If-Match": '"v1"'}
    )
    assert r.status_code == 200, r.text
    assert r.json()["target"] == 2
    assert r.json()["reached_on"] is None
    assert client.delete(f"{url}/{goal['id']}", headers=alice.headers).status_code == 204
    assert client.get(url, headers=alice.headers).json()["items"] == []


def test_bad_goals_are_422_naming_the_field(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    later = (today() + timedelta(days=30)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "e1rm", "target": 100, "target_date": later}, "exercise"),
        (
            {"kind": "e1rm", "exercise": "moon-squat", "target": 100, "target_date": later},
            "exercise",
        ),
        (
            {"kind": "reps_at_load", "exercise": "squat", "target": 12, "target_date": later},
            "load_kg",
        ),
        ({"kind": "weekly_sessions", "target": 0, "target_date": later}, "target"),
        (
            {"kind": "weekly_sessions", "target": 2, "target_date": today().isoformat()},
            "target_date",
        ),
        ({"kind": "vo2max", "target": 2, "target_date": later}, "kind"),
    ]
    for body, field in cases:
        r = client.post(f"/v1/athletes/{athlete['id']}/goals", json=body, headers=alice.headers)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["field"] == field, r.json()

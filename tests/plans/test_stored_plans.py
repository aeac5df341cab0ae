"""Stored plans through HTTP on both databases: PUT from the profile, stable session ids,
ETags, planned_session checks and adherence in progress."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import Caller, make_athlete, make_workout

PROFILE = {
    "event": "half_marathon",
    "level": "beginner",
    "race_date": "2027-04-11",
    "equipment": ["band", "dumbbell"],
    "sessions_per_week": 2,
    "session_minutes": 45,
    "long_run_day": "sunday",
    "hard_run_days": ["tuesday"],
}


def sessions(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for w in plan["weeks"] for s in w["sessions"]]


def put(client: TestClient, caller: Caller, athlete: dict[str, Any], **body: Any) -> Any:
    return client.put(f"/v1/athletes/{athlete['id']}/plan", json=body, headers=caller.headers)


def test_put_from_the_profile_then_get_the_same_ids(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    r = put(client, alice, athlete, start_date="2026-11-02")
    assert r.status_code == 201, r.text
    plan = r.json()
    assert r.headers["etag"] == '"v1"'
    # What the profile holds filled the request.
    for field, value in PROFILE.items():
        assert plan["request"][field] == value, field
    assert plan["request"]["start_date"] == "2026-11-02"
    assert len(plan["weeks"]) == 23  # 2026-11-02 → 2027-04-11
    ids = [s["id"] for s in sessions(plan)]
    assert len(ids) == len(set(ids)) > 20
    assert all(s["weekday"] in ("tuesday", "friday") for s in sessions(plan))

    got = client.get(f"/v1/athletes/{athlete['id']}/plan", headers=alice.headers)
    assert got.status_code == 200
    assert got.json() == plan
    assert got.headers["etag"] == '"v1"'
    same = client.get(
        f"/v1/athletes/{athlete['id']}/plan",
        headers={**alice.headers, "If-None-Match": '"v1"'},
    )
    assert same.status_code == 304


def test_the_request_overrides_the_profile_and_a_missing_event_is_named(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    r = put(
        client, alice, athlete, start_date="2026-11-02", sessions_per_week=3, level="intermediate"
    )
    assert r.status_code == 201, r.text
    assert r.json()["request"]["sessions_per_week"] == 3
    assert r.json()["request"]["level"] == "intermediate"
    bare = make_athlete(client, alice)
    r = put(client, alice, bare, start_date="2026-11-02")
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "event"
    assert "athlete" in r.json()["errors"][0]["message"]
    r = put(client, alice, bare, event="5k", sessions_per_week=9)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "sessions_per_week"
    assert client.get(f"/v1/athletes/{bare['id']}/plan", headers=alice.headers).status_code == 404


def test_planned_session_must_name_a_session_of_the_plan(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    plan = put(client, alice, athlete, start_date="2026-11-02").json()
    url = f"/v1/athletes/{athlete['id']}/workouts"
    r = client.post(
        url,
        json={**_workout(), "planned_session": str(uuid.uuid4())},
        headers=alice.headers,
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "planned_session"
    first = sessions(plan)[0]
    done = make_workout(
        client,
        alice,
        athlete,
        performed_at="2026-11-03T18:00:00+01:00",
        planned_session=first["id"],
    )
    assert done["planned_session"] == first["id"]
    # Another athlete's session id is refused as well.
    other = make_athlete(client, alice, **PROFILE)
    r = client.post(
        f"/v1/athletes/{other['id']}/workouts",
        json={**_workout(), "planned_session": first["id"]},
        headers=alice.headers,
    )
    assert r.status_code == 422


def test_a_new_plan_keeps_the_ids_of_sessions_already_done(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    plan = put(client, alice, athlete, start_date="2026-11-02").json()
    first, second = sessions(plan)[:2]
    make_workout(
        client,
        alice,
        athlete,
        performed_at="2026-11-03T18:00:00+01:00",
        planned_session=first["id"],
    )
    stale = client.put(
        f"/v1/athletes/{athlete['id']}/plan",
        json={"start_date": "2026-11-02", "session_minutes": 60},
        headers={**alice.headers, "If-Match": '"v9"'},
    )
    assert stale.status_code == 412
    r = client.put(
        f"/v1/athletes/{athlete['id']}/plan",
        json={"start_date": "2026-11-02", "session_minutes": 60},
        headers={**alice.headers, "If-Match": '"v1"'},
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"v2"'
    again = sessions(r.json())
    assert again[0]["id"] == first["id"]  # done: same day, same id
    assert again[1]["date"] == second["date"]
    assert again[1]["id"] != second["id"]  # not done: a new id


def test_adherence_in_progress(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    progress_url = f"/v1/athletes/{athlete['id']}/progress"
    assert (
        client.get(progress_url, params={"to": "2026-11-15"}, headers=alice.headers).json()[
            "adherence"
        ]
        is None
    )
    plan = put(client, alice, athlete, start_date="2026-11-02").json()
    upcoming = sessions(plan)
    # Tue 3 and Fri 6, Tue 10 and Fri 13 are planned up to Sunday 15th; two are done.
    assert [s["date"] for s in upcoming[:4]] == [
        "2026-11-03",
        "2026-11-06",
        "2026-11-10",
        "2026-11-13",
    ]
    for s, day in ((upcoming[0], "2026-11-03"), (upcoming[2], "2026-11-10")):
        make_workout(
            client, alice, athlete, performed_at=f"{day}T18:00:00+01:00", planned_session=s["id"]
        )
    body = client.get(progress_url, params={"to": "2026-11-15"}, headers=alice.headers).json()
    assert body["adherence"] == {"planned": 4, "completed": 2, "ratio": 0.5}

    r = client.delete(
        f"/v1/athletes/{athlete['id']}/plan", headers={**alice.headers, "If-Match": '"v1"'}
    )
    assert r.status_code == 204
    assert (
        client.get(f"/v1/athletes/{athlete['id']}/plan", headers=alice.headers).status_code == 404
    )
    assert (
        client.get(progress_url, params={"to": "2026-11-15"}, headers=alice.headers).json()[
            "adherence"
        ]
        is None
    )


def _workout() -> dict[str, Any]:
    from tests.factories import workout_body

    return workout_body(performed_at="2026-11-03T18:00:00+01:00")


def test_next_session_carries_loads_from_the_logs(client: TestClient, alice: Caller) -> None:
    from app.catalog.service import get_catalog
    from app.planning.loads import round_to_step, step_kg

    athlete = make_athlete(client, alice, **{**PROFILE, "level": "intermediate"})
    athlete_url = f"/v1/athletes/{athlete['id']}"
    put(client, alice, athlete, start_date="2026-11-02", setting="gym")
    nxt = client.get(
        f"{athlete_url}/plan/next", params={"date": "2026-11-09"}, headers=alice.headers
    )
    assert nxt.status_code == 200, nxt.text
    session = nxt.json()
    assert session["date"] == "2026-11-10"  # the Tuesday after
    loaded = next(
        p
        for p in session["exercises"]
        if p["reps"]["unit"] == "reps" and p["exercise"] != "nordic-curl"
    )
    assert loaded["load_kg"] is None  # nothing logged yet
    assert "No loaded sets" in loaded["progression_note"]
    # Two sessions beating the target by 2 reps at the target RIR: 2-for-2 raises the load.
    target, rir = loaded["reps"]["max"], loaded["effort"]["rir"]
    for day in ("2026-11-03", "2026-11-06"):
        sets = [
            {
                "reps": target + 2,
                "load_kg": 60.0,
                "rir": rir,
                "rpe": None,
                "duration_s": None,
                "side": "both",
                "warmup": False,
            }
            for _ in range(3)
        ]
        body = {
            "performed_at": f"{day}T18:00:00+01:00",
            "exercises": [{"exercise": loaded["exercise"], "notes": None, "sets": sets}],
        }
        r = client.post(f"{athlete_url}/workouts", json=body, headers=alice.headers)
        assert r.status_code == 201, r.text
    nxt = client.get(
        f"{athlete_url}/plan/next", params={"date": "2026-11-09"}, headers=alice.headers
    )
    again = next(p for p in nxt.json()["exercises"] if p["exercise"] == loaded["exercise"])
    exercise = next(e for e in get_catalog().exercises if e.slug == loaded["exercise"])
    step = step_kg(exercise)
    expected = max(round_to_step(60 * 1.025, step), 60 + (step or 0.5))
    assert again["load_kg"] == expected
    assert "2-for-2" in again["progression_note"]
    # The athlete's own plates: half-kilo steps everywhere → 60 × 1.025 = 61.5 kg exactly.
    steps = dict.fromkeys(("barbell", "dumbbell", "kettlebell", "machine", "cable"), 0.5)
    r = client.patch(athlete_url, json={"load_steps_kg": steps}, headers=alice.headers)
    assert r.status_code == 200, r.text
    nxt = client.get(
        f"{athlete_url}/plan/next", params={"date": "2026-11-09"}, headers=alice.headers
    )
    finer = next(p for p in nxt.json()["exercises"] if p["exercise"] == loaded["exercise"])
    assert finer["load_kg"] == 61.5
    none_left = client.get(
        f"{athlete_url}/plan/next", params={"date": "2027-06-01"}, headers=alice.headers
    )
    assert none_left.status_code == 404


def test_the_plan_as_a_calendar(client: TestClient, alice: Caller) -> None:
    from icalendar import Calendar

    athlete = make_athlete(client, alice, **PROFILE)
    plan = put(client, alice, athlete, start_date="2026-11-02").json()
    url = f"/v1/athletes/{athlete['id']}/plan.ics"
    r = client.get(url, headers=alice.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    assert r.content == client.get(url, headers=alice.headers).content  # stable bytes
    cal = Calendar.from_ical(r.content)  # icalendar reads back what it wrote
    assert str(cal["version"]) == "2.0"
    events = cal.walk("VEVENT")
    planned = sessions(plan)
    assert len(events) == len(planned)
    first, session = events[0], planned[0]
    assert str(first["uid"]) == f"{session['id']}@legwork"
    assert first.decoded("dtstart").isoformat() == session["date"]  # an all-day date
    assert (first.decoded("dtend") - first.decoded("dtstart")).days == 1
    assert str(first["summary"]) == session["title"]
    described = str(first["description"])
    for p in session["exercises"]:
        assert p["name"] in described
    assert "dtstamp" in first
    same = client.get(url, headers={**alice.headers, "If-None-Match": r.headers["etag"]})
    assert same.status_code == 304


def test_if_match_on_a_missing_plan_is_412(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    r = client.put(
        f"/v1/athletes/{athlete['id']}/plan",
        json={"start_date": "2026-11-02"},
        headers={**alice.headers, "If-Match": '"v1"'},
    )
    assert r.status_code == 412
    assert (
        client.get(f"/v1/athletes/{athlete['id']}/plan", headers=alice.headers).status_code == 404
    )

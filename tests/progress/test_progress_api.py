"""GET .../progress through HTTP, every metric checked against numbers worked out by hand.

The athlete lives in Europe/Paris (CET +01:00 until Sunday 2026-03-29 02:00, CEST +02:00 after).
The log, by local date (W = week from Monday):

W0 Tue 03-10  E  hip-thrust 5×80 RIR 0                          sRPE 5 × 60 = 300  (before range)
W1 Wed 03-18  A  hip-thrust warm-up 10×40; 8×60 RIR 2; 8×60 RPE 8; 6×70 RIR 1
                 glute-bridge 15×0, 15×0 (bodyweight, no effort given)  sRPE 7 × 40 = 280
W1 Sun 03-22  B  23:30 local: bulgarian-split-squat L 10×20 RIR 2, R 8×20 RIR 2
                 calf-raise 20×0 RPE 9                                  sRPE 6 × 30 = 180
W2 Mon 03-23  C  sent as Sun 20:00 −05:00 (= Mon 02:00 Paris): romanian-deadlift
                 5×100 RIR 0; 1×110 RIR 0; 5×100 RIR 3; 12×60 RIR 2     sRPE 8 × 45 = 360
W2 Sun 03-29  D  23:30 CEST, the day clocks went forward: bulgarian-split-squat
                 L 10×22 RPE 8, R 10×20 RPE 8, R 9×22 RPE 6.5; glute-bridge hold 60 s
                 session_rpe missing → no sRPE
W3 (03-30 … 04-05) nothing
W4 Tue 04-07  F  hip-thrust 1×100 RIR 0                          sRPE 5 × 30 = 150  (after range)
"""

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import Caller, make_athlete

RANGE = {"from": "2026-03-16", "to": "2026-04-05"}


def _set(reps: int | None, load: float, **extra: Any) -> dict[str, Any]:
    return {"reps": reps, "load_kg": load, "side": "both", "warmup": False, **extra}


def _workout(
    performed_at: str, rpe: float | None, minutes: int, exercises: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    return {
        "performed_at": performed_at,
        "duration_min": minutes,
        "session_rpe": rpe,
        "exercises": [{"exercise": slug, "sets": sets} for slug, sets in exercises.items()],
    }


LOG = [
    _workout("2026-03-10T18:00:00+01:00", 5, 60, {"hip-thrust": [_set(5, 80, rir=0)]}),
    _workout(
        "2026-03-18T18:00:00+01:00",
        7,
        40,
        {
            "hip-thrust": [
                _set(10, 40, warmup=True),
                _set(8, 60, rir=2),
                _set(8, 60, rpe=8),
                _set(6, 70, rir=1),
            ],
            "glute-bridge": [_set(15, 0), _set(15, 0)],
        },
    ),
    _workout(
        "2026-03-22T23:30:00+01:00",
        6,
        30,
        {
            "bulgarian-split-squat": [
                _set(10, 20, rir=2, side="left"),
                _set(8, 20, rir=2, side="right"),
            ],
            "calf-raise": [_set(20, 0, rpe=9)],
        },
    ),
    _workout(
        "2026-03-22T20:00:00-05:00",
        8,
        45,
        {
            "romanian-deadlift": [
                _set(5, 100, rir=0),
                _set(1, 110, rir=0),
                _set(5, 100, rir=3),
                _set(12, 60, rir=2),
            ]
        },
    ),
    _workout(
        "2026-03-29T23:30:00+02:00",
        None,
        20,
        {
            "bulgarian-split-squat": [
                _set(10, 22, rpe=8, side="left"),
                _set(10, 20, rpe=8, side="right"),
                _set(9, 22, rpe=6.5, side="right"),
            ],
            "glute-bridge": [_set(None, 0, duration_s=60)],
        },
    ),
    _workout("2026-04-07T18:00:00+02:00", 5, 30, {"hip-thrust": [_set(1, 100, rir=0)]}),
]

MUSCLES_ZERO = {
    "glutes": 0.0,
    "hamstrings": 0.0,
    "quads": 0.0,
    "calves": 0.0,
    "hip_abductors": 0.0,
    "adductors": 0.0,
    "core": 0.0,
}


@pytest.fixture
def athlete(client: TestClient, alice: Caller) -> dict[str, Any]:
    athlete = make_athlete(client, alice, name="Ada", timezone="Europe/Paris")
    for body in LOG:
        r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=alice.headers)
        assert r.status_code == 201, r.text
    return athlete


def _get(
    client: TestClient, caller: Caller, athlete: dict[str, Any], suffix: str = "", **params: Any
) -> Any:
    r = client.get(
        f"/v1/athletes/{athlete['id']}/progress{suffix}", params=params, headers=caller.headers
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_local_dates_land_in_the_right_weeks(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    body = _get(client, alice, athlete, **RANGE)
    starts = [p["start"] for p in body["periods"]]
    assert starts == ["2026-03-16", "2026-03-23", "2026-03-30"]  # empty W3 is there too
    assert [p["end"] for p in body["periods"]] == ["2026-03-22", "2026-03-29", "2026-04-05"]
    # W1 holds A and B (Sunday 23:30); W2 holds C (Sunday 20:00 −05:00 is Monday in Paris)
    # and D (Sunday 23:30 on the night of the DST change).
    assert [p["workouts"] for p in body["periods"]] == [2, 2, 0]


def test_periods_and_totals(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    body = _get(client, alice, athlete, **RANGE)
    assert body["from"] == "2026-03-16"
    assert body["to"] == "2026-04-05"
    assert body["period"] == "week"
    assert body["timezone"] == "Europe/Paris"
    w1, w2, w3 = body["periods"]
    # W1: working sets 3 (hip thrust; the warm-up is left out) + 2 (bridge) + 2 (BSS) + 1 (calf)
    assert w1["sets"] == 8
    assert w1["reps"] == 90  # 8+8+6 + 15+15 + 10+8 + 20
    assert w1["volume_load_kg"] == 1740.0  # 8×60 + 8×60 + 6×70 + 10×20 + 8×20 = 1380 + 360
    assert w1["session_load"] == 460.0  # 7×40 + 6×30
    # hip thrust 3 sets: glutes 3, hamstrings 1.5, quads 1.5; bridge 2: glutes 2, hams 1, core 1;
    # BSS 2: quads 2, glutes 1, adductors 1, abductors 1; calf raise 1: calves 1
    assert w1["sets_by_muscle"] == {
        "glutes": 6.0,
        "hamstrings": 2.5,
        "quads": 3.5,
        "calves": 1.0,
        "hip_abductors": 1.0,
        "adductors": 1.0,
        "core": 1.0,
    }
    # W2: RDL 4 sets; BSS 3; bridge hold 1 (a set, no reps)
    assert w2["sets"] == 8
    assert w2["reps"] == 52  # 5+1+5+12 + 10+10+9
    assert w2["volume_load_kg"] == 2448.0  # 500+110+500+720 + 220+200+198
    assert w2["session_load"] == 360.0  # C 8×45; D has no session_rpe
    # RDL 4: hamstrings 4, glutes 2, core 2; BSS 3: quads 3, glutes 1.5, adductors 1.5,
    # abductors 1.5; bridge 1: glutes 1, hamstrings 0.5, core 0.5
    assert w2["sets_by_muscle"] == {
        "glutes": 4.5,
        "hamstrings": 4.5,
        "quads": 3.0,
        "calves": 0.0,
        "hip_abductors": 1.5,
        "adductors": 1.5,
        "core": 2.5,
    }
    assert w3 == {
        "start": "2026-03-30",
        "end": "2026-04-05",
        "workouts": 0,
        "sets": 0,
        "reps": 0,
        "volume_load_kg": 0.0,
        "session_load": 0.0,
        "sets_by_muscle": MUSCLES_ZERO,
    }
    assert body["totals"] == {
        "workouts": 4,
        "sets": 16,
        "reps": 142,  # 90 + 52
        "volume_load_kg": 4188.0,  # 1740 + 2448
        "session_load": 820.0,  # 460 + 360
        "sets_by_muscle": {
            "glutes": 10.5,
            "hamstrings": 7.0,
            "quads": 6.5,
            "calves": 1.0,
            "hip_abductors": 2.5,
            "adductors": 2.5,
            "core": 3.5,
        },
    }


def test_months(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    body = _get(client, alice, athlete, period="month", **RANGE)
    march, april = body["periods"]
    assert (march["start"], march["end"]) == ("2026-03-01", "2026-03-31")
    assert (april["start"], april["end"]) == ("2026-04-01", "2026-04-30")
    # only days inside the range count: E (03-10) and F (04-07) stay out
    assert (march["workouts"], march["sets"], march["volume_load_kg"]) == (4, 16, 4188.0)
    assert (april["workouts"], april["sets"], april["volume_load_kg"]) == (0, 0, 0.0)


def test_exercises_e1rm_and_records(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    exercises = {e["exercise"]: e for e in _get(client, alice, athlete, **RANGE)["exercises"]}
    assert list(exercises) == [
        "bulgarian-split-squat",
        "calf-raise",
        "glute-bridge",
        "hip-thrust",
        "romanian-deadlift",
    ]
    hip = exercises["hip-thrust"]
    assert (hip["name"], hip["sets"], hip["reps"], hip["volume_load_kg"]) == (
        "Barbell hip thrust",
        3,
        22,
        1380.0,
    )
    # 8×60 RIR 2 and 8×60 RPE 8 → rtf 10 → 60 × (1 + 10/30) = 80; 6×70 RIR 1 → rtf 7 →
    # 70 × 37/30 = 86.333; the 03-10 set (93.33) is outside the range
    assert hip["best_e1rm_kg"] == 86.33
    # e1rm_series: the best of each period (here weeks), dated the period's Monday
    assert hip["e1rm_series"] == [{"date": "2026-03-16", "e1rm_kg": 86.33}]
    assert hip["records"] == {
        "heaviest_load": {"load_kg": 70.0, "reps": 6, "date": "2026-03-18"},
        "best_e1rm": {
            "e1rm_kg": 86.33,
            "load_kg": 70.0,
            "reps_to_failure": 7.0,
            "date": "2026-03-18",
        },
        # the 10×40 warm-up is no record
        "most_reps_at_load": [
            {"load_kg": 60.0, "reps": 8, "date": "2026-03-18"},
            {"load_kg": 70.0, "reps": 6, "date": "2026-03-18"},
        ],
    }
    rdl = exercises["romanian-deadlift"]
    # 5×100 RIR 0 → 100 × 35/30 = 116.67; 1×110 RIR 0 → rtf 1 → 110 (not 110 × 31/30);
    # 5×100 RIR 3 → rtf 8 → 100 × 38/30 = 126.667; 12×60 RIR 2 → rtf 14 > 12: no e1RM
    assert rdl["best_e1rm_kg"] == 126.67
    assert rdl["e1rm_series"] == [{"date": "2026-03-23", "e1rm_kg": 126.67}]
    assert rdl["volume_load_kg"] == 1830.0  # 500 + 110 + 500 + 720
    assert rdl["records"] == {
        "heaviest_load": {"load_kg": 110.0, "reps": 1, "date": "2026-03-23"},
        "best_e1rm": {
            "e1rm_kg": 126.67,
            "load_kg": 100.0,
            "reps_to_failure": 8.0,
            "date": "2026-03-23",
        },
        "most_reps_at_load": [
            {"load_kg": 60.0, "reps": 12, "date": "2026-03-23"},
            {"load_kg": 100.0, "reps": 5, "date": "2026-03-23"},
            {"load_kg": 110.0, "reps": 1, "date": "2026-03-23"},
        ],
    }
    bss = exercises["bulgarian-split-squat"]
    # 03-22: 10×20 RIR 2 → rtf 12 → 20 × 1.4 = 28 (8×20 RIR 2 → 26.67)
    # 03-29: 10×22 RPE 8 → rtf 12 → 22 × 1.4 = 30.8; 10×20 RPE 8 → 28; 9×22 RPE 6.5 → rtf 12.5
    assert bss["e1rm_series"] == [
        {"date": "2026-03-16", "e1rm_kg": 28.0},
        {"date": "2026-03-23", "e1rm_kg": 30.8},
    ]
    assert bss["best_e1rm_kg"] == 30.8
    assert (bss["sets"], bss["reps"], bss["volume_load_kg"]) == (5, 47, 978.0)  # 360 + 618
    assert bss["records"]["heaviest_load"] == {"load_kg": 22.0, "reps": 10, "date": "2026-03-29"}
    assert bss["records"]["most_reps_at_load"] == [
        {"load_kg": 20.0, "reps": 10, "date": "2026-03-22"},  # the 03-29 10×20 ties: first day
        {"load_kg": 22.0, "reps": 10, "date": "2026-03-29"},
    ]
    # bodyweight: sets and reps count, no volume, no e1RM, no heaviest load
    bridge = exercises["glute-bridge"]
    assert (bridge["sets"], bridge["reps"], bridge["volume_load_kg"]) == (3, 30, 0.0)
    assert bridge["best_e1rm_kg"] is None
    assert bridge["e1rm_series"] == []
    assert bridge["records"] == {
        "heaviest_load": None,
        "best_e1rm": None,
        "most_reps_at_load": [{"load_kg": 0.0, "reps": 15, "date": "2026-03-18"}],
    }
    calf = exercises["calf-raise"]
    assert (calf["sets"], calf["reps"], calf["best_e1rm_kg"]) == (1, 20, None)


def test_balance(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    balance = _get(client, alice, athlete, **RANGE)["balance"]
    # primary sets: glutes 3+2+1 = 6 (hip thrust, bridge, hold), hamstrings 4 (RDL), quads
    # 2+3 = 5 (BSS), calves 1: (6 + 4) / (6 + 4 + 5 + 1) = 10/16
    assert balance["posterior_share"] == 0.625
    # BSS left 10×20 + 10×22 = 420; right 8×20 + 10×20 + 9×22 = 558; (420 − 558)/558 = −0.2473
    assert balance["asymmetry"] == [
        {
            "exercise": "bulgarian-split-squat",
            "left_volume_kg": 420.0,
            "right_volume_kg": 558.0,
            "asymmetry": -0.247,
        }
    ]


def test_training_load_as_of_to(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    # Daily sRPE up to 03-29: 03-10 300, 03-18 280, 03-22 180, 03-23 360, 03-29 0 (D has none).
    # `from` does not matter: the series is the 252 days ending on `to`.
    for date_from in ("2026-03-23", "2026-01-01", "2026-03-29"):
        body = _get(client, alice, athlete, **{"from": date_from, "to": "2026-03-29"})
        load = body["training_load"]
        assert load == {
            "as_of": "2026-03-29",
            "window_start": "2025-07-21",  # 03-29 − 251 days
            "window_days": 252,
            "acute": 360.0,  # 03-23..03-29: 360
            "chronic": 280.0,  # 03-02..03-29: (300 + 280 + 180 + 360) / 4
            "acwr": 1.286,  # 360 / 280
            # λa = 0.25, λc = 2/29; ages on 03-29: 19, 11, 7, 6 days
            # acute = 0.25 × (300×0.75^19 + 280×0.75^11 + 180×0.75^7 + 360×0.75^6) = 25.2984
            # chronic = 2/29 × (300×(27/29)^19 + 280×(27/29)^11 + 180×(27/29)^7
            #   + 360×(27/29)^6) = 37.8194;  25.2984 / 37.8194 = 0.6689
            "acwr_ewma": 0.669,
            # the week is [360, 0, 0, 0, 0, 0, 0]: mean 360/7, SD 360·√6/7 → 1/√6 = 0.40825
            "monotony": 0.408,
            "strain": 146.97,  # 360 × 0.408248
            # fitness = Σ load/42 × (41/42)^age = 20.6712
            "fitness": 20.67,
            # fatigue = Σ load/7 × (6/7)^age = 38.7659
            "fatigue": 38.77,
            "form": -18.09,  # 20.6712 − 38.7659
        }, date_from
        assert body["streak_weeks"] == 3  # W0, W1, W2, even when `from` is in W2


def test_training_load_without_recent_work(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    body = _get(client, alice, athlete, **RANGE)
    load = body["training_load"]
    # nothing in 03-30..04-05; chronic 03-09..04-05 = (300 + 280 + 180 + 360)/4
    assert (load["acute"], load["chronic"], load["acwr"]) == (0.0, 280.0, 0.0)
    assert (load["monotony"], load["strain"]) == (None, None)  # SD of seven zeros is 0
    assert body["streak_weeks"] == 0  # the week holding `to` has no workout
    assert body["adherence"] is None


def test_empty_range(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    body = _get(
        client, alice, athlete, **{"from": "2025-01-01", "to": "2025-01-31"}, period="month"
    )
    assert body["periods"] == [
        {
            "start": "2025-01-01",
            "end": "2025-01-31",
            "workouts": 0,
            "sets": 0,
            "reps": 0,
            "volume_load_kg": 0.0,
            "session_load": 0.0,
            "sets_by_muscle": MUSCLES_ZERO,
        }
    ]
    assert body["exercises"] == []
    assert body["balance"] == {"posterior_share": None, "asymmetry": []}
    load = body["training_load"]
    assert (load["acute"], load["chronic"], load["acwr"], load["acwr_ewma"]) == (0, 0, None, None)
    assert (load["monotony"], load["strain"], load["fitness"], load["form"]) == (None, None, 0, 0)
    assert body["streak_weeks"] == 0


def test_inverted_range_is_a_422_naming_from(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    for path in ("/progress", "/progress/exercises/hip-thrust"):
        r = client.get(
            f"/v1/athletes/{athlete['id']}{path}",
            params={"from": "2026-04-05", "to": "2026-03-16"},
            headers=alice.headers,
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["from"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"period": "day"}, "period"),
        ({"format": "xml"}, "format"),
        ({"from": "2000-01-01", "to": "2026-01-01"}, "from"),  # more than 3660 days
    ],
)
def test_bad_parameters(
    client: TestClient, alice: Caller, athlete: dict[str, Any], params: dict[str, str], field: str
) -> None:
    r = client.get(f"/v1/athletes/{athlete['id']}/progress", params=params, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


def test_default_range_is_twelve_weeks_to_today(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    body = _get(client, alice, athlete)
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    monday = today - timedelta(days=today.weekday())
    assert body["to"] == today.isoformat()
    assert body["from"] == (monday - timedelta(weeks=11)).isoformat()
    assert len(body["periods"]) == 12
    assert date.fromisoformat(body["periods"][0]["start"]).weekday() == 0


def test_other_accounts_athlete_is_404(
    client: TestClient, bob: Caller, athlete: dict[str, Any]
) -> None:
    for suffix in ("", "/exercises/hip-thrust", "/chart.svg"):
        r = client.get(f"/v1/athletes/{athlete['id']}/progress{suffix}", headers=bob.headers)
        assert r.status_code == 404, (suffix, r.text)


def test_needs_a_token(client: TestClient, athlete: dict[str, Any]) -> None:
    r = client.get(f"/v1/athletes/{athlete['id']}/progress")
    assert r.status_code == 401, r.text


def test_exercise_history(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    body = _get(client, alice, athlete, "/exercises/hip-thrust")
    assert (body["exercise"], body["first_date"], body["last_date"]) == (
        "hip-thrust",
        "2026-03-10",
        "2026-04-07",
    )
    assert (body["sets"], body["reps"], body["volume_load_kg"]) == (5, 28, 1880.0)  # 400+1380+100
    # 03-10 5×80 RIR 0 → 80 × 35/30 = 93.33; 03-18 → 86.33; 04-07 1×100 RIR 0 → rtf 1 → 100
    assert body["e1rm_series"] == [
        {"date": "2026-03-10", "e1rm_kg": 93.33},
        {"date": "2026-03-18", "e1rm_kg": 86.33},
        {"date": "2026-04-07", "e1rm_kg": 100.0},
    ]
    assert body["best_e1rm_kg"] == 100.0
    assert body["volume_series"] == [
        {"date": "2026-03-10", "sets": 1, "reps": 5, "volume_load_kg": 400.0},
        {"date": "2026-03-18", "sets": 3, "reps": 22, "volume_load_kg": 1380.0},
        {"date": "2026-04-07", "sets": 1, "reps": 1, "volume_load_kg": 100.0},
    ]
    assert body["records"] == {
        "heaviest_load": {"load_kg": 100.0, "reps": 1, "date": "2026-04-07"},
        "best_e1rm": {
            "e1rm_kg": 100.0,
            "load_kg": 100.0,
            "reps_to_failure": 1.0,
            "date": "2026-04-07",
        },
        "most_reps_at_load": [
            {"load_kg": 60.0, "reps": 8, "date": "2026-03-18"},
            {"load_kg": 70.0, "reps": 6, "date": "2026-03-18"},
            {"load_kg": 80.0, "reps": 5, "date": "2026-03-10"},
            {"load_kg": 100.0, "reps": 1, "date": "2026-04-07"},
        ],
    }


def test_exercise_history_of_an_unlogged_and_an_unknown_exercise(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    body = _get(client, alice, athlete, "/exercises/nordic-curl")
    assert (body["sets"], body["first_date"], body["e1rm_series"], body["best_e1rm_kg"]) == (
        0,
        None,
        [],
        None,
    )
    r = client.get(
        f"/v1/athletes/{athlete['id']}/progress/exercises/no-such-thing", headers=alice.headers
    )
    assert r.status_code == 404, r.text
    bounded = _get(client, alice, athlete, "/exercises/hip-thrust", **{"from": "2026-03-16"})
    assert (bounded["first_date"], bounded["last_date"]) == ("2026-03-18", "2026-04-07")
    assert [p["date"] for p in bounded["e1rm_series"]] == ["2026-03-18", "2026-04-07"]


def test_custom_exercises_count_by_their_own_muscles(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, timezone="UTC")
    r = client.post(
        "/v1/exercises/custom",
        json={
            "name": "Sled push",
            "slug": "sled-push",
            "primary_muscles": ["quads"],
            "secondary_muscles": ["calves"],
            "unilateral": True,
        },
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    body = _workout(
        "2026-03-18T10:00:00Z",
        7,
        20,
        {"sled-push": [_set(10, 50, side="left", rir=2), _set(10, 40, side="right", rir=2)]},
    )
    r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    report = _get(client, alice, athlete, **{"from": "2026-03-16", "to": "2026-03-22"})
    assert report["totals"]["sets_by_muscle"] == {**MUSCLES_ZERO, "quads": 2.0, "calves": 1.0}
    assert report["balance"]["posterior_share"] == 0.0  # 0 / (2 quad sets)
    # (500 − 400) / 500
    assert report["balance"]["asymmetry"] == [
        {
            "exercise": "sled-push",
            "left_volume_kg": 500.0,
            "right_volume_kg": 400.0,
            "asymmetry": 0.2,
        }
    ]
    assert report["exercises"][0]["name"] == "Sled push"
    assert report["exercises"][0]["best_e1rm_kg"] == 70.0  # 50 × (1 + 12/30)


def test_etag_and_cache_control(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    url = f"/v1/athletes/{athlete['id']}/progress"
    for suffix, params in (
        ("", RANGE),
        ("", {**RANGE, "format": "csv"}),
        ("/exercises/hip-thrust", {}),
        ("/chart.svg", RANGE),
    ):
        r = client.get(url + suffix, params=params, headers=alice.headers)
        assert r.status_code == 200, r.text
        etag = r.headers["etag"]
        assert r.headers["cache-control"] == "private, max-age=60"
        again = client.get(
            url + suffix, params=params, headers={**alice.headers, "If-None-Match": etag}
        )
        assert again.status_code == 304, again.text
        assert again.content == b""
        assert again.headers["etag"] == etag
        stale = client.get(
            url + suffix, params=params, headers={**alice.headers, "If-None-Match": '"other"'}
        )
        assert stale.status_code == 200
    # a new workout changes the body, hence the ETag
    first = client.get(url, params=RANGE, headers=alice.headers).headers["etag"]
    body = _workout("2026-03-31T18:00:00+02:00", 5, 10, {"squat": [_set(10, 0)]})
    client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=alice.headers)
    assert client.get(url, params=RANGE, headers=alice.headers).headers["etag"] != first


EXPECTED_CSV = (
    "start,end,workouts,sets,reps,volume_load_kg,session_load,sets_glutes,sets_hamstrings,"
    "sets_quads,sets_calves,sets_hip_abductors,sets_adductors,sets_core\r\n"
    "2026-03-16,2026-03-22,2,8,90,1740,460,6,2.5,3.5,1,1,1,1\r\n"
    "2026-03-23,2026-03-29,2,8,52,2448,360,4.5,4.5,3,0,1.5,1.5,2.5\r\n"
    "2026-03-30,2026-04-05,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
)


def test_periods_as_csv(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    url = f"/v1/athletes/{athlete['id']}/progress"
    by_query = client.get(url, params={**RANGE, "format": "csv"}, headers=alice.headers)
    assert by_query.status_code == 200, by_query.text
    assert by_query.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_query.text == EXPECTED_CSV
    assert by_query.headers["content-disposition"] == (
        'attachment; filename="legwork-progress-2026-03-16-2026-04-05.csv"'
    )
    by_accept = client.get(url, params=RANGE, headers={**alice.headers, "Accept": "text/csv"})
    assert by_accept.text == EXPECTED_CSV
    json_wins = client.get(
        url, params={**RANGE, "format": "json"}, headers={**alice.headers, "Accept": "text/csv"}
    )
    assert json_wins.headers["content-type"] == "application/json"


def test_charts(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    import xml.etree.ElementTree as ET

    url = f"/v1/athletes/{athlete['id']}/progress/chart.svg"
    svg = "{http://www.w3.org/2000/svg}"
    for metric, title in (
        ("volume_load", "Volume load per week — Ada"),
        ("session_load", "Session load per week — Ada"),
    ):
        r = client.get(url, params={**RANGE, "metric": metric}, headers=alice.headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "image/svg+xml"
        root = ET.fromstring(r.text)
        assert root.findtext(f"{svg}title") == title
        assert len([e for e in root.iter(f"{svg}rect") if e.get("fill") == "#3b82f6"]) == 3
    r = client.get(
        url,
        params={**RANGE, "metric": "e1rm", "exercise": "bulgarian-split-squat"},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    assert len(list(ET.fromstring(r.text).iter(f"{svg}circle"))) == 2  # 03-22 and 03-29


def test_chart_escapes_the_athlete_name(client: TestClient, alice: Caller) -> None:
    import xml.etree.ElementTree as ET

    athlete = make_athlete(client, alice, name='Zoë <b>"&"</b>')
    r = client.get(f"/v1/athletes/{athlete['id']}/progress/chart.svg", headers=alice.headers)
    assert r.status_code == 200, r.text
    assert "<b>" not in r.text
    title = ET.fromstring(r.text).findtext("{http://www.w3.org/2000/svg}title")
    assert title == 'Volume load per week — Zoë <b>"&"</b>'


@pytest.mark.parametrize(
    "params", [{"metric": "e1rm"}, {"metric": "e1rm", "exercise": "no-such-thing"}]
)
def test_e1rm_chart_needs_a_known_exercise(
    client: TestClient, alice: Caller, athlete: dict[str, Any], params: dict[str, str]
) -> None:
    r = client.get(
        f"/v1/athletes/{athlete['id']}/progress/chart.svg", params=params, headers=alice.headers
    )
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["exercise"]


def test_streak_longer_than_the_training_load_window(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, timezone="UTC")
    # one workout every Friday for 40 weeks, 2025-01-03 … 2025-10-03 (the window is 36 weeks)
    first = date(2025, 1, 3)
    for week in range(40):
        day = first + timedelta(weeks=week)
        body = _workout(f"{day.isoformat()}T07:00:00Z", 5, 10, {"squat": [_set(10, 0)]})
        r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=alice.headers)
        assert r.status_code == 201, r.text
    body = _get(client, alice, athlete, **{"from": "2025-09-29", "to": "2025-10-05"})
    assert body["streak_weeks"] == 40
    body = _get(client, alice, athlete, **{"from": "2025-09-29", "to": "2025-10-12"})
    assert body["streak_weeks"] == 0  # the week of 10-06 has no workout
    body = _get(client, alice, athlete, **{"from": "2025-01-01", "to": "2025-03-02"})
    assert body["streak_weeks"] == 9  # weeks of 12-30 … 02-24


def _day(
    day: str, load: float, workouts: int, sets: int, volume: float, share: float | None
) -> dict[str, Any]:
    return {
        "date": day,
        "session_load": load,
        "workouts": workouts,
        "working_sets": sets,
        "volume_load_kg": volume,
        "posterior_share": share,
    }


def test_load_series_day_by_day(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    url = f"/v1/athletes/{athlete['id']}/load-series"
    week = {"from": "2026-03-17", "to": "2026-03-23"}
    r = client.get(url, params=week, headers=alice.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["from"], body["to"], body["timezone"]) == (
        "2026-03-17",
        "2026-03-23",
        "Europe/Paris",
    )
    assert body["days"] == [
        _day("2026-03-17", 0.0, 0, 0, 0.0, None),
        # A: hip thrust 3 working sets (the warm-up left out) + bridge 2, all glutes-primary
        _day("2026-03-18", 280.0, 1, 5, 1380.0, 1.0),
        _day("2026-03-19", 0.0, 0, 0, 0.0, None),
        _day("2026-03-20", 0.0, 0, 0, 0.0, None),
        _day("2026-03-21", 0.0, 0, 0, 0.0, None),
        # B at 23:30 Paris: split squat L+R (quads) and calf raise (calves): no posterior sets
        _day("2026-03-22", 180.0, 1, 3, 360.0, 0.0),
        # C sent as Sunday 20:00 −05:00 is Monday in Paris: 4 RDL sets (hamstrings)
        _day("2026-03-23", 360.0, 1, 4, 1830.0, 1.0),
    ]
    # The same session loads progress sums for the week of 03-16 (A + B).
    progress = _get(client, alice, athlete, **RANGE)
    assert progress["periods"][0]["session_load"] == 280.0 + 180.0

    csv = client.get(url, params={**week, "format": "csv"}, headers=alice.headers)
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.text.split("\r\n")[:4] == [
        "date,session_load,workouts,working_sets,volume_load_kg,posterior_share",
        "2026-03-17,0,0,0,0,",
        "2026-03-18,280,1,5,1380,1",
        "2026-03-19,0,0,0,0,",
    ]
    cached = client.get(
        url, params=week, headers={**alice.headers, "If-None-Match": r.headers["ETag"]}
    )
    assert cached.status_code == 304
    inverted = client.get(
        url, params={"from": "2026-03-23", "to": "2026-03-17"}, headers=alice.headers
    )
    assert inverted.status_code == 422
    assert inverted.json()["errors"][0]["field"] == "from"
    default = client.get(url, headers=alice.headers).json()
    assert len(default["days"]) >= 78  # 12 weeks to today, from a Monday

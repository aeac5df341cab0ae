"""A plain reference for the progress answers: every number worked out set by set from the
workouts as the API lists them, with none of the service's SQL, rollups or grouping.

Only the metric formulas (Epley, the training-load series, posterior share, asymmetry) are
shared with the service: what is under test is which sets reach them, not the formulas."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.enums import posterior_share
from app.exercises import UNKNOWN, ExerciseInfo
from app.progress import formulas

MUSCLES = ("glutes", "hamstrings", "quads", "calves", "hip_abductors", "adductors", "core")
Json = dict[str, Any]


def r2(value: float) -> float:
    return round(value, 2) + 0.0


def r3(value: float | None) -> float | None:
    return None if value is None else round(value, 3) + 0.0


def period_start(day: date, period: str) -> date:
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def period_end(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=6)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class Set:
    day: date
    exercise: str
    reps: int | None
    load: float
    rpe: float | None
    rir: int | None
    side: str

    @property
    def rtf(self) -> float | None:
        if self.reps is None:
            return None
        rir = (
            float(self.rir)
            if self.rir is not None
            else (10.0 - self.rpe if self.rpe is not None else 0.0)
        )
        return self.reps + rir

    @property
    def e1rm(self) -> float | None:
        rtf = self.rtf
        if self.reps is None or self.reps < 1 or self.load <= 0 or rtf is None or rtf > 12:
            return None
        return formulas.e1rm_epley(self.load, rtf)


def working_sets(workouts: Iterable[Json]) -> list[Set]:
    return [
        Set(
            date.fromisoformat(w["local_date"]),
            e["exercise"],
            s["reps"],
            s["load_kg"],
            s["rpe"],
            s["rir"],
            s["side"],
        )
        for w in workouts
        for e in w["exercises"]
        for s in e["sets"]
        if not s["warmup"]
    ]


def volume(sets: list[Set], workouts: list[Json], infos: dict[str, ExerciseInfo]) -> Json:
    muscles = dict.fromkeys(MUSCLES, 0.0)
    for s in sets:
        info = infos.get(s.exercise, UNKNOWN)
        for m in info.primary:
            muscles[m] += 1
        for m in info.secondary:
            muscles[m] += 0.5
    return {
        "workouts": len(workouts),
        "sets": len(sets),
        "reps": sum(s.reps or 0 for s in sets),
        "volume_load_kg": r2(sum((s.reps or 0) * s.load for s in sets)),
        "session_load": r2(
            sum(
                w["session_rpe"] * w["duration_min"]
                for w in workouts
                if w["session_rpe"] is not None and w["duration_min"] is not None
            )
        ),
        "sets_by_muscle": muscles,
    }


def records(sets: list[Set]) -> Json:
    done = [s for s in sets if s.reps is not None and s.reps >= 1]
    lifted = [s for s in done if s.load > 0]
    heaviest = None
    if lifted:
        top = max(s.load for s in lifted)
        day = min(s.day for s in lifted if s.load == top)
        reps = max(s.reps or 0 for s in lifted if s.load == top and s.day == day)
        heaviest = {"load_kg": top, "reps": reps, "date": day.isoformat()}
    rated = [s for s in done if s.e1rm is not None]
    best = None
    if rated:
        top_e1rm = max(s.e1rm or 0.0 for s in rated)
        first = min((s for s in rated if s.e1rm == top_e1rm), key=lambda s: (s.day, s.load))
        best = {
            "e1rm_kg": r2(top_e1rm),
            "load_kg": first.load,
            "reps_to_failure": first.rtf,
            "date": first.day.isoformat(),
        }
    most = []
    for load in sorted({s.load for s in done}):
        at_load = [s for s in done if s.load == load]
        reps = max(s.reps or 0 for s in at_load)
        day = min(s.day for s in at_load if s.reps == reps)
        most.append({"load_kg": load, "reps": reps, "date": day.isoformat()})
    return {"heaviest_load": heaviest, "best_e1rm": best, "most_reps_at_load": most}


def exercise(slug: str, sets: list[Set], info: ExerciseInfo, bucket: Any) -> Json:
    """One exercise's fields; `bucket` maps a day to its e1RM series point's date."""
    best: dict[date, float] = {}
    for s in sets:
        if s.e1rm is not None:
            key = bucket(s.day)
            best[key] = max(best.get(key, 0.0), s.e1rm)
    found = records(sets)
    return {
        "exercise": slug,
        "name": info.name or slug,
        "sets": len(sets),
        "reps": sum(s.reps or 0 for s in sets),
        "volume_load_kg": r2(sum((s.reps or 0) * s.load for s in sets)),
        "best_e1rm_kg": found["best_e1rm"]["e1rm_kg"] if found["best_e1rm"] else None,
        "e1rm_series": [
            {"date": day.isoformat(), "e1rm_kg": r2(value)} for day, value in sorted(best.items())
        ],
        "records": found,
    }


def training_load(workouts: list[Json], end: date) -> Json:
    start = end - timedelta(days=formulas.TRAINING_LOAD_WINDOW_DAYS - 1)
    daily = [0.0] * formulas.TRAINING_LOAD_WINDOW_DAYS
    for w in workouts:
        day = date.fromisoformat(w["local_date"])
        if start <= day <= end and w["session_rpe"] is not None and w["duration_min"] is not None:
            daily[(day - start).days] += w["session_rpe"] * w["duration_min"]
    load = formulas.training_load(daily)
    return {
        "as_of": end.isoformat(),
        "window_start": start.isoformat(),
        "window_days": formulas.TRAINING_LOAD_WINDOW_DAYS,
        "acute": r2(load.acute),
        "chronic": r2(load.chronic),
        "acwr": r3(load.acwr),
        "acwr_ewma": r3(load.acwr_ewma),
        "monotony": r3(load.monotony),
        "strain": None if load.strain is None else r2(load.strain),
        "fitness": r2(load.fitness),
        "fatigue": r2(load.fatigue),
        "form": r2(load.form),
    }


def streak(workouts: list[Json], end: date) -> int:
    weeks = {
        period_start(date.fromisoformat(w["local_date"]), "week")
        for w in workouts
        if date.fromisoformat(w["local_date"]) <= end
    }
    week, count = period_start(end, "week"), 0
    while week in weeks:
        count += 1
        week -= timedelta(days=7)
    return count


def balance(sets: list[Set], infos: dict[str, ExerciseInfo]) -> Json:
    primary = dict.fromkeys(MUSCLES, 0.0)
    for s in sets:
        for m in infos.get(s.exercise, UNKNOWN).primary:
            primary[m] += 1
    sides: dict[str, list[float]] = {}
    for s in sets:
        if not infos.get(s.exercise, UNKNOWN).unilateral or s.side == "both":
            continue
        if (s.reps or 0) > 0:
            sides.setdefault(s.exercise, [0.0, 0.0])
    for s in sets:
        if s.exercise in sides and s.side != "both":
            sides[s.exercise][0 if s.side == "left" else 1] += (s.reps or 0) * s.load
    return {
        "posterior_share": r3(posterior_share(primary)),
        "asymmetry": [
            {
                "exercise": slug,
                "left_volume_kg": r2(left),
                "right_volume_kg": r2(right),
                "asymmetry": r3(formulas.asymmetry(left, right)),
            }
            for slug, (left, right) in sorted(sides.items())
        ],
    }


def progress(
    athlete: Json,
    workouts: list[Json],
    infos: dict[str, ExerciseInfo],
    start: date,
    end: date,
    period: str,
) -> Json:
    """GET .../progress?from=start&to=end&period=period, worked out set by set."""
    every_set = working_sets(workouts)
    sets = [s for s in every_set if start <= s.day <= end]
    in_range = [w for w in workouts if start <= date.fromisoformat(w["local_date"]) <= end]
    periods = []
    p = period_start(start, period)
    while p <= end:
        last = period_end(p, period)
        periods.append(
            {
                "start": p.isoformat(),
                "end": last.isoformat(),
                **volume(
                    [s for s in sets if p <= s.day <= last],
                    [w for w in in_range if p <= date.fromisoformat(w["local_date"]) <= last],
                    infos,
                ),
            }
        )
        p = last + timedelta(days=1)
    by_exercise: dict[str, list[Set]] = defaultdict(list)
    for s in sets:
        by_exercise[s.exercise].append(s)
    return {
        "athlete_id": athlete["id"],
        "timezone": athlete["timezone"],
        "from": start.isoformat(),
        "to": end.isoformat(),
        "period": period,
        "totals": volume(sets, in_range, infos),
        "periods": periods,
        "exercises": [
            exercise(slug, its, infos.get(slug, UNKNOWN), lambda d: period_start(d, period))
            for slug, its in sorted(by_exercise.items())
        ],
        "training_load": training_load(workouts, end),
        "balance": balance(sets, infos),
        "streak_weeks": streak(workouts, end),
        "adherence": None,
        "goals": [],
    }


def exercise_history(
    workouts: list[Json],
    slug: str,
    info: ExerciseInfo,
    start: date | None = None,
    end: date | None = None,
) -> Json:
    """GET .../progress/exercises/{slug}[?from=start&to=end], worked out set by set."""
    sets = [
        s
        for s in working_sets(workouts)
        if s.exercise == slug
        and (start is None or s.day >= start)
        and (end is None or s.day <= end)
    ]
    days = sorted({s.day for s in sets})
    return {
        **exercise(slug, sets, info, lambda d: d),
        "first_date": days[0].isoformat() if days else None,
        "last_date": days[-1].isoformat() if days else None,
        "volume_series": [
            {
                "date": day.isoformat(),
                "sets": len(on_day := [s for s in sets if s.day == day]),
                "reps": sum(s.reps or 0 for s in on_day),
                "volume_load_kg": r2(sum((s.reps or 0) * s.load for s in on_day)),
            }
            for day in days
        ],
    }


def load_series(
    athlete: Json, workouts: list[Json], infos: dict[str, ExerciseInfo], start: date, end: date
) -> Json:
    """GET .../load-series?from=start&to=end, worked out day by day."""
    every_set = working_sets(workouts)
    days = []
    day = start
    while day <= end:
        sets = [s for s in every_set if s.day == day]
        logged = [w for w in workouts if date.fromisoformat(w["local_date"]) == day]
        summed = volume(sets, logged, infos)
        days.append(
            {
                "date": day.isoformat(),
                "session_load": summed["session_load"],
                "workouts": summed["workouts"],
                "working_sets": summed["sets"],
                "volume_load_kg": summed["volume_load_kg"],
                "posterior_share": balance(sets, infos)["posterior_share"],
            }
        )
        day += timedelta(days=1)
    return {
        "athlete_id": athlete["id"],
        "timezone": athlete["timezone"],
        "from": start.isoformat(),
        "to": end.isoformat(),
        "days": days,
    }

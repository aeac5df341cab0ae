"""Response shapes of the progress endpoints (docs/training.md "Metrics" says what they mean)."""

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.enums import Muscle
from app.goals.schemas import GoalPublic


class Period(StrEnum):
    week = "week"
    month = "month"


class Format(StrEnum):
    json = "json"
    csv = "csv"


class ChartMetric(StrEnum):
    volume_load = "volume_load"
    e1rm = "e1rm"
    session_load = "session_load"


class ProgressModel(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)


# What each field means, shared by the models below.
MuscleSetCount = Annotated[
    float,
    Field(
        description="Working sets for this muscle: 1 per set where it is primary, 0.5 where "
        "secondary."
    ),
]
WorkingSets = Annotated[
    int,
    Field(description="Working sets (warm-ups excluded); bodyweight and timed sets count."),
]
WorkingReps = Annotated[int, Field(description="Reps of the working sets.")]
VolumeLoadKg = Annotated[
    float,
    Field(
        description="Volume load in kilograms: Σ reps × load_kg over working sets (bodyweight "
        "sets add 0), 2 decimals."
    ),
]
ExerciseSlug = Annotated[
    str, Field(description="Catalog or custom exercise slug.", examples=["hip-thrust"])
]


class MuscleSets(ProgressModel):
    """Working sets per muscle: 1 for each primary muscle of the exercise, 0.5 for each
    secondary one."""

    glutes: MuscleSetCount = Field(default=0.0, examples=[6.0])
    hamstrings: MuscleSetCount = Field(default=0.0, examples=[4.5])
    quads: MuscleSetCount = Field(default=0.0, examples=[4.0])
    calves: MuscleSetCount = Field(default=0.0, examples=[3.0])
    hip_abductors: MuscleSetCount = Field(default=0.0, examples=[3.0])
    adductors: MuscleSetCount = Field(default=0.0, examples=[0.0])
    core: MuscleSetCount = Field(default=0.0, examples=[1.5])


MUSCLES: tuple[Muscle, ...] = tuple(Muscle)


class Volume(ProgressModel):
    workouts: int = Field(
        description="Workouts logged (by local date), whatever their sets.", examples=[2]
    )
    sets: WorkingSets = Field(examples=[24])
    reps: WorkingReps = Field(examples=[260])
    volume_load_kg: VolumeLoadKg = Field(examples=[3120.0])
    session_load: float = Field(
        description="Σ sRPE (session_rpe × duration_min, Foster 2001) in AU over the workouts "
        "that carry both; workouts missing either add nothing.",
        examples=[630.0],
    )
    sets_by_muscle: MuscleSets = Field(
        description="Working sets per muscle: 1 for each primary muscle of the exercise, 0.5 "
        "for each secondary one."
    )


class PeriodStats(Volume):
    start: dt.date = Field(
        description="First day of the period: a Monday for weeks, the 1st for months.",
        examples=["2026-11-16"],
    )
    end: dt.date = Field(
        description="Last day of the period (a Sunday, or the month's last day). The first and "
        "last periods may reach outside `from`..`to`; only days inside the range are counted.",
        examples=["2026-11-22"],
    )


class E1rmPoint(ProgressModel):
    date: dt.date = Field(
        description="Local date: the day (GET .../progress/exercises/{slug}, the e1rm chart), or "
        "the first day of the period (GET .../progress).",
        examples=["2026-11-16"],
    )
    e1rm_kg: float = Field(
        description="The best e1RM of that day or period, 2 decimals.", examples=[84.0]
    )


class VolumePoint(ProgressModel):
    date: dt.date = Field(description="Local date.", examples=["2026-11-20"])
    sets: WorkingSets = Field(examples=[4])
    reps: WorkingReps = Field(examples=[40])
    volume_load_kg: VolumeLoadKg = Field(examples=[2400.0])


class LoadRecord(ProgressModel):
    load_kg: float = Field(description="The heaviest load, in kilograms.", examples=[80.0])
    reps: int = Field(description="The most reps done at that load that day.", examples=[5])
    date: dt.date = Field(description="The first day it was done.", examples=["2026-11-20"])


class RepsRecord(ProgressModel):
    load_kg: float = Field(description="The load (0 = bodyweight).", examples=[60.0])
    reps: int = Field(description="The most reps done in one set at this load.", examples=[12])
    date: dt.date = Field(description="The first day it was done.", examples=["2026-11-20"])


class E1rmRecord(ProgressModel):
    e1rm_kg: float = Field(
        description="Estimated one-rep max in kilograms (Epley on reps + RIR), 2 decimals.",
        examples=[93.33],
    )
    load_kg: float = Field(
        description="Load of the set that gave it, in kilograms.", examples=[80.0]
    )
    reps_to_failure: float = Field(description="reps + RIR of the set.", examples=[5])
    date: dt.date = Field(description="The first day it was reached.", examples=["2026-11-20"])


class Records(ProgressModel):
    """Personal records among working sets with at least one rep."""

    heaviest_load: LoadRecord | None = Field(
        description="The heaviest load lifted (load > 0); null for bodyweight-only work."
    )
    best_e1rm: E1rmRecord | None = Field(description="The best e1RM; null when no set qualifies.")
    most_reps_at_load: list[RepsRecord] = Field(
        description="For each load lifted, the most reps in one set; lightest load first."
    )


class ExerciseProgress(ProgressModel):
    exercise: ExerciseSlug
    name: str = Field(
        description="The exercise's name; empty when its custom exercise has been deleted.",
        examples=["Hip thrust"],
    )
    sets: WorkingSets = Field(examples=[12])
    reps: WorkingReps = Field(examples=[96])
    volume_load_kg: VolumeLoadKg = Field(examples=[5760.0])
    best_e1rm_kg: float | None = Field(
        description="Best Epley e1RM (load × (1 + rtf/30); the load when rtf = 1) over working "
        "sets with reps ≥ 1, load > 0 and reps + RIR ≤ 12; null when none qualifies.",
        examples=[93.33],
    )
    e1rm_series: list[E1rmPoint] = Field(
        description="The best e1RM of each period (`period`: week or month) with an eligible "
        "set, oldest first; `date` is the period's first day. One point a period, so years "
        "stay small: each day's best is in GET .../progress/exercises/{slug}."
    )
    records: Records = Field(
        description="Personal records among these working sets: over the range (for "
        "GET .../progress/exercises/{slug}, the whole history unless `from`/`to` bound it)."
    )


class ExerciseHistory(ExerciseProgress):
    """One exercise's logged history: all of it, or `from`..`to`."""

    e1rm_series: list[E1rmPoint] = Field(
        description="Each day's best e1RM, oldest first (days with an eligible set)."
    )
    first_date: dt.date | None = Field(
        description="First day it was logged (within `from`..`to` when given).",
        examples=["2024-01-08"],
    )
    last_date: dt.date | None = Field(
        description="Last day it was logged (within `from`..`to` when given).",
        examples=["2026-11-20"],
    )
    volume_series: list[VolumePoint] = Field(
        description="Each day's working sets, reps and volume load, oldest first."
    )


class TrainingLoadStats(ProgressModel):
    """Training load from daily sRPE sums, as of `to`. Descriptive only — never a risk verdict
    (Impellizzeri 2020; Lolli 2019).

    The daily series covers the `window_days` days ending on `to`, whatever `from` is, and
    starts from zero: EWMAs and Banister values start at 0 on the day before `window_start`.
    """

    as_of: dt.date = Field(description="`to`.", examples=["2026-11-22"])
    window_start: dt.date = Field(
        description="First day of the daily series: `to` − 251 days (6 × 42).",
        examples=["2026-03-16"],
    )
    window_days: int = Field(
        description="Days in the series (252 = 6 × τ_fitness).", examples=[252]
    )
    acute: float = Field(description="Σ daily load over the 7 days ending on `to`.", examples=[630])
    chronic: float = Field(
        description="Σ daily load over the 28 days ending on `to`, / 4.", examples=[540.0]
    )
    acwr: float | None = Field(
        description="acute / chronic; null when chronic = 0.", examples=[1.17]
    )
    acwr_ewma: float | None = Field(
        description="EWMA acute / EWMA chronic (Williams 2017: λ = 2/(N+1), N = 7 and 28); "
        "null when the chronic EWMA is 0.",
        examples=[1.1],
    )
    monotony: float | None = Field(
        description="Mean daily load over the 7 days / population SD (rest days 0; Foster 1998); "
        "null when SD = 0.",
        examples=[1.4],
    )
    strain: float | None = Field(
        description="acute × monotony; null when monotony is.", examples=[882.0]
    )
    fitness: float = Field(
        description="Banister/CTL: x_t = x_{t−1} + (load_t − x_{t−1}) / 42, as of `to`.",
        examples=[75.2],
    )
    fatigue: float = Field(description="Banister/ATL: the same with τ = 7.", examples=[88.1])
    form: float = Field(description="fitness − fatigue.", examples=[-12.9])


class ExerciseAsymmetry(ProgressModel):
    exercise: ExerciseSlug = Field(examples=["bulgarian-split-squat"])
    left_volume_kg: float = Field(
        description="Σ reps × load of left-side working sets.", examples=[1200.0]
    )
    right_volume_kg: float = Field(
        description="Σ reps × load of right-side working sets.", examples=[1140.0]
    )
    asymmetry: float | None = Field(
        description="(left − right) / max(left, right): positive = left stronger; null when "
        "both are 0 (bodyweight-only work has no reps × load).",
        examples=[0.05],
    )


class Balance(ProgressModel):
    posterior_share: float | None = Field(
        description="(glute + hamstring sets) / (glute + hamstring + quad + calf sets), primary "
        "muscles only, over the range; null when there are none.",
        examples=[0.6],
    )
    asymmetry: list[ExerciseAsymmetry] = Field(
        description="Per unilateral exercise with left or right sets in the range."
    )


class Adherence(ProgressModel):
    planned: int = Field(description="Stored-plan sessions dated up to `to`.", examples=[8])
    completed: int = Field(description="Those a workout names in `planned_session`.", examples=[7])
    ratio: float | None = Field(
        description="completed / planned; null when planned = 0.", examples=[0.875]
    )


class Progress(ProgressModel):
    athlete_id: uuid.UUID = Field(
        description="The athlete's id.", examples=["0b7e2c1a-5d4f-4e8b-9c3a-6f1d2e7a8b90"]
    )
    timezone: str = Field(
        description="The athlete's time zone: dates are local to it.", examples=["Europe/Paris"]
    )
    date_from: dt.date = Field(
        alias="from", description="First local date, inclusive.", examples=["2026-09-01"]
    )
    date_to: dt.date = Field(
        alias="to", description="Last local date, inclusive.", examples=["2026-11-22"]
    )
    period: Period = Field(
        description="How `periods` are cut: `week` (Monday to Sunday) or `month`.",
        examples=["week"],
    )
    totals: Volume = Field(description="The whole range.")
    periods: list[PeriodStats] = Field(
        description="Every week (from Monday) or month touching the range, oldest first, "
        "empty ones included with zeros."
    )
    exercises: list[ExerciseProgress] = Field(
        description="Exercises with working sets in the range, by slug; series and records "
        "cover the range only (the whole history: GET .../progress/exercises/{slug})."
    )
    training_load: TrainingLoadStats = Field(
        description="Acute and chronic load, ACWR, monotony, strain and fitness/fatigue, as of "
        "`to`."
    )
    balance: Balance = Field(description="Posterior share and left/right asymmetry over the range.")
    streak_weeks: int = Field(
        description="Consecutive weeks with ≥ 1 workout, ending with the week holding `to` "
        "(0 when that week has none). Like training load it looks back past `from`.",
        examples=[7],
    )
    adherence: Adherence | None = Field(
        default=None,
        description="Plan adherence for the stored plan's sessions dated up to `to`; null "
        "when the athlete has no stored plan.",
    )
    goals: list[GoalPublic] = Field(
        default_factory=list,
        description="The athlete's goals, each measured as of `to` (as GET .../goals answers).",
    )


class LoadDay(ProgressModel):
    date: dt.date = Field(description="A local date (the athlete's zone).", examples=["2026-11-18"])
    session_load: float = Field(
        description="Session RPE × minutes summed over the day's workouts that carry both, in "
        "arbitrary units (AU); 0 on a rest day.",
        examples=[315.0],
    )
    workouts: int = Field(description="Workouts logged that day.", examples=[1])
    working_sets: int = Field(description="Working sets (warm-ups excluded).", examples=[12])
    volume_load_kg: float = Field(
        description="Σ reps × load of the working sets, kg.", examples=[2760.0]
    )
    posterior_share: float | None = Field(
        description="(glute + hamstring sets) / (sets of the four major leg muscles), primary "
        "muscles only; null on a day without any.",
        examples=[0.583],
    )


class LoadSeries(ProgressModel):
    athlete_id: uuid.UUID = Field(description="The athlete's id.")
    timezone: str = Field(description="The athlete's time zone: dates are local to it.")
    date_from: dt.date = Field(alias="from", description="First local date, inclusive.")
    date_to: dt.date = Field(alias="to", description="Last local date, inclusive.")
    days: list[LoadDay] = Field(
        description="Every day from `from` to `to`, oldest first, rest days included with zeros."
    )

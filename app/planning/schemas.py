"""Request and response shapes of routine and plan generation (docs/api.md)."""

import datetime as dt
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from app.catalog.models import Measure
from app.enums import Equipment, Event, Focus, Level, Muscle, Phase, Setting, Weekday
from app.schemas import IsoDate, RequestModel
from app.workouts.schemas import LoadKg, Reps, Rir, Rpe, Slug


class WorkingSet(RequestModel):
    """One logged working set, for loads: what was lifted, how many reps and how hard."""

    exercise: Slug = Field(description="Catalog slug.", examples=["romanian-deadlift"])
    date: IsoDate = Field(description="The day it was done.", examples=["2027-01-07"])
    load_kg: LoadKg = Field(description="External load in kg (0 for bodyweight).", examples=[60])
    reps: Reps = Field(description="Reps done.", examples=[12])
    rir: Rir = None
    rpe: Rpe = None


class GenerationRequest(RequestModel):
    """What the generator needs to know about the runner; a routine uses the subset that applies.

    Dates: the service is stateless and never guesses "today". With `race_date`, `start_date` is
    required and the plan runs in 7-day weeks from `start_date` to the race. Without `race_date`
    the plan has `weeks` weeks (default 8) and no taper; sessions carry dates when `start_date` is
    given and only weekdays otherwise.
    """

    model_config = ConfigDict(frozen=True)

    event: Event = Field(
        description="The race distance trained for; sets the default focus.",
        examples=["half_marathon"],
    )
    race_date: IsoDate | None = Field(
        default=None,
        description="Race day. Plans then taper into it; needs `start_date`.",
        examples=["2027-04-11"],
    )
    start_date: IsoDate | None = Field(
        default=None,
        description="First day of the plan; week 1 starts on it. Required with `race_date`.",
        examples=["2027-01-04"],
    )
    weeks: int | None = Field(
        default=None,
        strict=True,
        ge=1,
        le=52,
        description=(
            "Plan length without a race date (default 8). With a race date it may be omitted; "
            "when given it must match the weeks from `start_date` to `race_date`."
        ),
        examples=[14],
    )
    level: Level = Field(
        default=Level.beginner,
        description="Lifting experience (ACSM): beginner = no recent lifting.",
        examples=["beginner"],
    )
    focus: Focus | None = Field(
        default=None,
        description=(
            "What the sets train. Null derives it from `event`: sprint → power; "
            "middle_distance, 5k, 10k → strength; half_marathon, marathon, ultra → endurance."
        ),
        examples=[None],
    )
    setting: Setting | None = Field(
        default=None,
        description="Shorthand for an equipment list (home: bodyweight, band, step, bench, "
        "dumbbell; gym: everything). Null means only `equipment` (and bodyweight).",
        examples=["home"],
    )
    equipment: list[Equipment] = Field(
        default_factory=list,
        max_length=len(Equipment),
        description="Equipment available in addition to the setting's; bodyweight is assumed.",
        examples=[["band", "dumbbell"]],
    )
    sessions_per_week: int = Field(
        strict=True,
        default=2,
        ge=1,
        le=3,
        description="Strength sessions a week (2–3 improves running economy; more would need "
        "consecutive days).",
        examples=[2],
    )
    session_minutes: int = Field(
        strict=True,
        default=45,
        ge=15,
        le=120,
        description="The longest a session may take, warm-up included.",
        examples=[40],
    )
    long_run_day: Weekday | None = Field(
        default=None,
        description="Day of the long run: no strength on it nor the day before.",
        examples=["sunday"],
    )
    hard_run_days: list[Weekday] = Field(
        default_factory=list,
        max_length=7,
        description="Days of hard runs (intervals, tempo): strength goes on these when it can, "
        "at least 6 hours after the run.",
        examples=[["tuesday"]],
    )
    exclude_exercises: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        max_length=100,
        description="Catalog slugs never to prescribe.",
        examples=[["nordic-curl"]],
    )
    seed: int = Field(
        strict=True,
        default=0,
        ge=0,
        le=2**32 - 1,
        description="Varies the choice among equally suitable exercises; same seed, same answer.",
        examples=[0],
    )
    kind: Literal["routine", "assessment"] = Field(
        default="routine",
        description="Routines only: `assessment` returns the test session (heel raises, "
        "single-leg bridges and a side plank to a stated end point, and one set of the main "
        "lifts at 2–3 reps in reserve) whose logged results set the athlete's baselines.",
        examples=["routine"],
    )
    working_sets: list[WorkingSet] = Field(
        default_factory=list,
        max_length=500,
        description="The athlete's recent logged working sets. With them, the routine and the "
        "plan's first week carry `load_kg` from what was lifted (Epley from sets of up to 12 "
        "reps to failure, else the logged set nearest the target reps; NSCA 2-for-2 raises; "
        "a set below its target RIR holds; 14+ days away restarts 10% lighter; rounded to the "
        "equipment's step) and `load_guidance` says why; without them `load_kg` is null.",
        examples=[[]],
    )


class RepRange(BaseModel):
    min: int = Field(description="Fewest per set.", examples=[12])
    max: int = Field(description="Most per set.", examples=[15])
    unit: Measure = Field(
        description="reps, steps (each way) or seconds (a hold).", examples=["reps"]
    )


class Effort(BaseModel):
    rpe: float = Field(description="Target rating of perceived exertion (0–10).", examples=[7.0])
    rir: int = Field(
        description="Reps to keep in reserve at the end of each set; never 0.", examples=[3]
    )


class Prescription(BaseModel):
    exercise: str = Field(description="Catalog slug.", examples=["glute-bridge"])
    name: str = Field(description="The exercise's name.", examples=["Glute bridge"])
    primary_muscles: list[Muscle] = Field(
        description="The muscles it mainly trains: the ones its sets count for.",
        examples=[["glutes"]],
    )
    sets: int = Field(description="Working sets.", examples=[3])
    reps: RepRange = Field(description="Target per set, as a range in the exercise's unit.")
    per_side: bool = Field(
        description="Reps are per leg (or per direction for band walks).", examples=[False]
    )
    rest_s: int = Field(
        description="Rest after each set; 0 inside a superset (go straight to the partner).",
        examples=[45],
    )
    work_s: int = Field(
        description="Estimated seconds of work per set (both sides), used for the session time.",
        examples=[55],
    )
    superset: str | None = Field(
        default=None,
        description="Exercises sharing a letter alternate set by set so rest overlaps.",
        examples=[None],
    )
    effort: Effort = Field(description="How hard each set should feel.")
    load_guidance: str = Field(
        description="How heavy, in words.",
        examples=["Bodyweight; add a dumbbell on the hips once 15 reps leave 3 in reserve."],
    )
    cues: list[str] = Field(description="Form cues.", examples=[["Drive through the heels"]])
    why: str = Field(
        description="Why this exercise, in this role and phase, helps a runner.",
        examples=["Glute endurance keeps the hips level late in a half marathon."],
    )
    end_point: str | None = Field(
        default=None,
        description="For an assessment: when to stop the set and what to log; null otherwise.",
        examples=[None],
    )
    load_kg: float | None = Field(
        default=None,
        description="The load to use, when the service knows the athlete's loads; null "
        "otherwise, and `load_guidance` says how to find one.",
        examples=[None],
    )
    regression: str | None = Field(
        default=None,
        description="Slug of the easier exercise to swap to if this one cannot be done as "
        "written with the athlete's equipment; null when there is none.",
        examples=[None],
    )
    progression: str | None = Field(
        default=None,
        description="Slug of the harder exercise to move to once this one is easy; null when "
        "there is none with the athlete's equipment.",
        examples=["single-leg-glute-bridge"],
    )
    alternatives: list[str] = Field(
        default_factory=list,
        max_length=3,
        description="Up to 3 slugs that fill the same role with the athlete's equipment and "
        "level, for a swap on the day.",
        examples=[["single-leg-glute-bridge", "dumbbell-hip-thrust"]],
    )


class WarmupDrill(BaseModel):
    drill: str = Field(description="What to do.", examples=["Leg swings, front to back"])
    reps: int | None = Field(
        default=None, description="Repetitions (per side where it applies).", examples=[10]
    )
    seconds: int | None = Field(
        default=None, description="Duration, for drills done by time.", examples=[None]
    )


class Session(BaseModel):
    date: dt.date | None = Field(
        default=None, description="The day, when the plan has a start date.", examples=[None]
    )
    weekday: Weekday | None = Field(
        default=None,
        description="The day of the week (null for a single routine).",
        examples=["tuesday"],
    )
    title: str = Field(
        description="A short heading for the session, as a calendar or list would show it.",
        examples=["Week 1 · session 1: glutes, hamstrings, quads, calves"],
    )
    estimated_minutes: int = Field(
        description="Warm-up + Σ sets × (work + rest), rounded up; never above session_minutes.",
        examples=[38],
    )
    warmup_minutes: int = Field(description="Warm-up included in the estimate.", examples=[5])
    warmup: list[WarmupDrill] = Field(
        default_factory=list, description="The warm-up drills that fill `warmup_minutes`."
    )
    exercises: list[Prescription] = Field(description="What to do, in order.")
    notes: list[str] = Field(
        default_factory=list,
        description="What had to bend in this session and why.",
        examples=[["Short session: rests cut to 30 s."]],
    )


class Week(BaseModel):
    week: int = Field(description="1-based week number.", examples=[1])
    phase: Phase = Field(
        description="Training phase: base, build, peak, deload or taper (into the race).",
        examples=["base"],
    )
    start_date: dt.date | None = Field(
        default=None, description="First day of the week, when dated.", examples=["2027-01-04"]
    )
    sessions: list[Session] = Field(
        description="The week's strength sessions, in order; may be empty."
    )
    total_sets: int = Field(description="Working sets in the week.", examples=[22])
    sets_by_muscle: dict[Muscle, int] = Field(
        description="Working sets per muscle, counting primary muscles only.",
        examples=[{"glutes": 6, "hamstrings": 4, "quads": 4, "calves": 4}],
    )
    posterior_share: float | None = Field(
        description="(glute + hamstring sets) / major-group sets; null without sessions.",
        examples=[0.6],
    )
    progression: list[str] = Field(
        default_factory=list,
        description="What rose this week compared with the week before (sets, reps or load), "
        "in words; empty in deload, peak and taper weeks and in week 1.",
        examples=[["Glute bridge: 2 → 3 sets."]],
    )


class SetRange(BaseModel):
    min: int = Field(description="Fewest working sets a week.", examples=[4])
    max: int = Field(description="Most working sets a week.", examples=[8])


class PlanSummary(BaseModel):
    weeks: int = Field(description="Weeks in the plan.", examples=[14])
    sessions: int = Field(description="Strength sessions in the whole plan.", examples=[26])
    focus: Focus = Field(
        description="What the sets train: the requested focus, or the one derived from `event`.",
        examples=["endurance"],
    )
    level: Level = Field(
        description="The lifting level the plan is made for.", examples=["beginner"]
    )
    equipment: list[Equipment] = Field(
        description="Everything the plan may use.", examples=[["bodyweight", "band"]]
    )
    weekly_sets_target: SetRange = Field(
        description="The level's weekly working sets per major group."
    )
    weekly_sets_by_muscle: dict[Muscle, float] = Field(
        description="Mean weekly working sets per muscle over weeks with sessions (primary "
        "muscles only); each week's exact figures are in `weeks[].sets_by_muscle`.",
        examples=[{"glutes": 6.5, "hamstrings": 4.2, "quads": 4.2, "calves": 4.2}],
    )
    posterior_share: float = Field(
        description="Glute + hamstring share of the plan's major-group working sets.",
        examples=[0.6],
    )
    race_date: dt.date | None = Field(
        default=None,
        description="The race the plan tapers into; null without one.",
        examples=["2027-04-11"],
    )


class Plan(BaseModel):
    weeks: list[Week] = Field(description="The plan week by week, week 1 first.")
    summary: PlanSummary = Field(description="Totals and balance of the whole plan.")
    rationale: list[str] = Field(
        description="The rules behind the plan, in words a runner understands."
    )


M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__
_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


def made(model: type[M], **fields: object) -> M:
    """`model(**fields)` for values the generator made itself: every field, in the model's
    order, each already what validation would make of it (a list, not a tuple; an enum member;
    no constraint broken). Half the cost of validating, which a plan does ~150 times (pydantic's
    `model_construct` costs more than validating); tests/planning/test_encode.py checks that
    each such model of a plan equals its validated self."""
    model_ = model.__new__(model)
    _set(model_, "__dict__", fields)
    # Every field is set: one set of their names for every such model (pydantic copies it
    # before changing it; setting a field adds a name it holds already). A set of a
    # prescription's 19 names is 1.2 KB of its 2.2, and plan contexts keep prescriptions.
    every = _EVERY_FIELD.get(model)
    if every is None:
        every = _EVERY_FIELD[model] = set(model.model_fields)
    _set(model_, "__pydantic_fields_set__", every if len(fields) == len(every) else set(fields))
    _set(model_, "__pydantic_extra__", None)
    _set(model_, "__pydantic_private__", None)
    return model_

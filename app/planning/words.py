"""What a runner reads about each exercise: why it is there, how heavy, and what rose."""

from collections.abc import Sequence
from typing import NamedTuple

from app.catalog.models import Exercise, Measure, Pattern
from app.enums import Focus, Phase
from app.planning.context import Context
from app.planning.dosing import Item, Tier
from app.planning.rules import EVENT_NAMES, LOADS, SOLEUS_RAISES, Role
from app.planning.schemas import Session
from app.planning.selection import can_hold_weight

# What each kind of exercise does for running; `{name}` is the exercise's name.
_PATTERN_WHY: dict[Pattern, str] = {
    Pattern.hinge: (
        "{name} trains the hamstrings and glutes together in the hip drive that pushes you "
        "forward at every stride"
    ),
    Pattern.squat: (
        "{name} strengthens the quads that absorb each landing and straighten the knee, so "
        "late miles and downhills cost less"
    ),
    Pattern.lunge: (
        "{name} loads one leg at a time, as running does: the quads and glutes absorb the "
        "landing and drive you up"
    ),
    Pattern.step_up: (
        "{name} is a single-leg push like the stance phase of running, for the quads and glutes"
    ),
    Pattern.bridge: (
        "{name} works the glutes, which extend the hip at push-off and keep the pelvis level"
    ),
    Pattern.calf_raise: (
        "{name} strengthens the calves, which steady the ankle and supply much of the push-off"
    ),
    Pattern.plyometric: (
        "{name}: quick, springy ground contacts stiffen the tendons and improve running economy "
        "(Spurrs 2003; Saunders 2006)"
    ),
    Pattern.nordic: (
        "Nordic curls strengthen the hamstrings while they lengthen, as they do at the end of "
        "each swing, and cut hamstring injuries by about half (van Dyk 2019)"
    ),
    Pattern.leg_curl: (
        "{name} strengthens the hamstrings as knee benders, the job they do as the leg swings "
        "through"
    ),
    Pattern.leg_extension: "{name} isolates the quads that brace the knee at landing",
    Pattern.abduction: (
        "{name} works the glute medius, which keeps the pelvis level each time you land on one "
        "leg (Distefano 2009)"
    ),
    Pattern.adduction: "{name} strengthens the inner thigh, which steadies the knee and hip",
    Pattern.core: "{name} trains the trunk to hold steady so the legs' force goes into running",
}
_SLUG_WHY: dict[str, str] = {
    "kettlebell-swing": (
        "Kettlebell swings train a fast, forceful hip extension, the snap that drives each "
        "stride, with the hamstrings and glutes"
    ),
    "single-leg-deadlift": (
        "The single-leg deadlift trains the hamstrings and glutes on one leg, with the balance "
        "a running stride needs"
    ),
    "lateral-band-walk": (
        "Lateral band walks work the glute medius, which keeps the pelvis level each time you "
        "land on one leg (band lower on the legs works it more, Lewis 2018)"
    ),
}
_FOCUS_DOSE_WHY: dict[Focus, str] = {
    Focus.endurance: "{reps} with reps in reserve build the fatigue resistance a {event} needs",
    Focus.strength: "moderate-heavy sets of {reps} improve running economy (Blagrove 2018)",
    Focus.power: "few, fast reps train the fast fibres a {event} relies on",
    Focus.resilience: "slow lowering and holds toughen tendons and muscles against injury",
}
_PHASE_WHY: dict[Phase, str] = {
    Phase.base: "base phase: learn the movement and build the habit at moderate effort",
    Phase.build: "build phase: heavier and harder, week by week",
    Phase.peak: "peak phase: keep the strength you built with fewer sets",
    Phase.deload: "deload week: fewer sets and more in reserve so your body absorbs the work",
    Phase.taper: "taper: light and familiar, so your legs are fresh on race day",
}


def _what_it_does(exercise: Exercise) -> str:
    if exercise.slug in _SLUG_WHY:
        return _SLUG_WHY[exercise.slug]
    if exercise.slug in SOLEUS_RAISES:
        return (
            f"{exercise.name} works the soleus, which carries more of your weight than any other "
            "muscle when you run (Dorn 2012)"
        )
    return _PATTERN_WHY[exercise.pattern].format(name=exercise.name)


def _reps_words(item: Item) -> str:
    low, high = item.reps
    unit = {Measure.reps: "reps", Measure.steps: "steps", Measure.seconds: "seconds"}
    return f"sets of {low}–{high} {unit[item.exercise.measure]}"


def why(item: Item, ctx: Context, phase: Phase, in_taper_days: bool) -> str:
    """Why this exercise, in its role and this phase, helps a runner."""
    ex = item.exercise
    parts = [_what_it_does(ex)]
    if item.nordic is not None:
        parts.append(
            f"step {item.nordic.step} of the Mjølsnes 2004 progression, never skipping a step"
        )
    elif item.tier in (Tier.main, Tier.assistance) and ex.pattern is not Pattern.plyometric:
        event = EVENT_NAMES[ctx.event]
        parts.append(_FOCUS_DOSE_WHY[ctx.focus].format(reps=_reps_words(item), event=event))
    if (
        ex.unilateral
        and item.role in (Role.quads, Role.hamstrings, Role.glutes)
        and ex.pattern not in (Pattern.lunge, Pattern.step_up)  # their own words say so
        and ex.slug not in _SLUG_WHY
    ):
        parts.append("one leg at a time also evens out left and right")
    if in_taper_days and phase is not Phase.taper:
        parts.append("the last 10 days before the race bring nothing new")
    elif item.tier is not Tier.accessory or phase in (Phase.deload, Phase.taper):
        parts.append(_PHASE_WHY[phase])
    return "; ".join(parts) + "."


def load_guidance(item: Item, ctx: Context, rir: int, *, load_rise: bool = False) -> str:
    """How heavy, in words, for this athlete's equipment."""
    ex = item.exercise
    if item.nordic is not None:
        return (
            "Bodyweight: lower as slowly as you can, catch yourself with your hands, push back up."
        )
    if ex.measure is Measure.seconds:
        return "Hold with good form and stop while you could still hold a few seconds longer."
    if ex.pattern is Pattern.plyometric:
        return "Bodyweight: quick, springy contacts; stop the set as soon as they slow down."
    if ex.measure is Measure.steps:
        return (
            f"A band that leaves about {rir} steps in reserve each way; move it from above the "
            "knees to the ankles to make it harder."
        )
    rise = (
        " This week start 2–5% heavier than last week if every set reached the top of the range."
        if load_rise
        else ""
    )
    if not LOADS.isdisjoint(ex.equipment):
        return (
            f"Pick a load you could lift {rir} more times than asked; once you beat the top of "
            "the range by 2 reps in two sessions in a row, add 2–10% (NSCA 2-for-2)." + rise
        )
    if can_hold_weight(ex, ctx):
        return (
            f"Hold a dumbbell or kettlebell heavy enough to leave {rir} reps in reserve; once you "
            "beat the top of the range by 2 reps in two sessions in a row, go heavier." + rise
        )
    if ex.pattern in (Pattern.core, Pattern.abduction, Pattern.adduction):
        return f"Slow and controlled, stopping with about {rir} reps in reserve."
    if load_rise:
        return (
            f"Bodyweight, stopping with about {rir} reps in reserve. This week make it harder "
            "than last week: lower for 3 seconds each rep, or move to the harder variation."
        )
    if ctx.focus is Focus.resilience:
        return f"Bodyweight, lowering for 4–5 s each rep, stopping with {rir} reps in reserve."
    return (
        f"Bodyweight, stopping with about {rir} reps in reserve; when the top of the range feels "
        "easy, slow the lowering to 3 seconds or move to the harder variation."
    )


class WeekWork(NamedTuple):
    """What a week's sessions hold, as its progression claims compare it."""

    sets: int  # working sets in the week
    # slug → (name, most sets in a session, reps low, reps high) for the week's exercises
    exercises: dict[str, tuple[str, int, int, int]]


def week_work(sessions: Sequence[Session]) -> WeekWork:
    sets = 0
    found: dict[str, tuple[str, int, int, int]] = {}
    for session in sessions:
        for p in session.exercises:
            sets += p.sets
            seen = found.get(p.exercise)
            if seen is None or p.sets > seen[1]:
                found[p.exercise] = (p.name, p.sets, p.reps.min, p.reps.max)
    return WeekWork(sets, found)


def progression_claims(
    before: WeekWork, after: WeekWork, *, since_week: int, load_rise: bool
) -> list[str]:
    """What rose from one week's sessions to the next's, exercise by exercise, in words."""
    claims: list[str] = []
    old, new = before.exercises, after.exercises
    if after.sets > before.sets:
        claims.append(f"Working sets: {before.sets} → {after.sets} in the week.")
    for slug, (name, sets, low, high) in new.items():
        if slug not in old:
            continue
        _, old_sets, old_low, old_high = old[slug]
        if sets > old_sets:
            claims.append(f"{name}: {old_sets} → {sets} sets.")
        if low == high and old_low == old_high and low > old_low:
            claims.append(f"{name}: the next step, {sets}×{low}.")  # the Nordic progression
        elif (low, high) != (old_low, old_high) and low > old_low and high >= old_high:
            claims.append(f"{name}: aim for {low}–{high} (was {old_low}–{old_high}).")
        elif high < old_high:
            claims.append(f"{name}: heavier, {low}–{high} reps (was {old_low}–{old_high}).")
    newcomers = [name for slug, (name, *_) in new.items() if slug not in old]
    if newcomers and old:
        claims.append("New variations: " + ", ".join(newcomers) + ".")
    if load_rise:
        claims.append(
            f"Load: the main lifts start 2–5% heavier than in week {since_week} (bodyweight "
            "lifts: a slower lowering or the harder variation), back at the bottom of their rep "
            "ranges."
        )
    return claims

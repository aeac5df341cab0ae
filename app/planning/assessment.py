"""The assessment session (docs/training.md "Assessment"): tests whose logged results set the
athlete's baselines, each done to a stated end point."""

from dataclasses import dataclass

from app.catalog.models import Exercise, Measure
from app.planning.context import Context
from app.planning.rules import BACKBONE, LOADS, Role
from app.planning.schemas import Effort, Prescription, RepRange, Session
from app.planning.selection import can_hold_weight
from app.planning.warmup import warmup_drills


@dataclass(frozen=True, slots=True)
class Test:
    slug: str
    reps: tuple[int, int]
    end_point: str
    why: str


# Bodyweight tests every runner can do (Hébert-Losier 2009, 2017 norms for the heel raise).
TESTS: tuple[Test, ...] = (
    Test(
        "single-leg-calf-raise",
        (1, 60),
        "As many full-height raises as you can at one every two seconds, each leg; stop when you "
        "can no longer rise fully. About 25 is typical for a healthy adult, fewer with age.",
        "The single-leg heel raise to fatigue measures calf endurance, the muscles that carry "
        "you at every step; log the count of each leg as a set.",
    ),
    Test(
        "single-leg-glute-bridge",
        (1, 50),
        "As many reps as you can with the hips level and fully up, each leg; stop when the hips "
        "drop or twist.",
        "Single-leg glute bridges to form failure measure glute endurance and left-right "
        "balance; log the count of each leg as a set.",
    ),
    Test(
        "side-plank",
        (10, 180),
        "Hold each side until the hips sag; log the seconds.",
        "The side-plank hold measures the trunk and hip strength that keeps the pelvis level "
        "when you land on one leg.",
    ),
)
LIFT_END_POINT = (
    "Warm up, then one set of 8–12 reps with a load that leaves 2–3 reps in reserve; log the load, "
    "the reps and the reps in reserve."
)


def assessment_session(ctx: Context) -> Session:
    """The bodyweight tests, plus one loaded set of the athlete's hinge and knee lifts (the
    e1RM their loads and goals start from) where the equipment loads them."""
    by_slug = ctx.index.by_slug
    exercises = [
        _prescription(by_slug[t.slug], t.reps, t.end_point, t.why)
        for t in TESTS
        if t.slug in by_slug and ctx.fits(by_slug[t.slug])
    ]
    for role in (Role.hamstrings, Role.quads):
        lift = next(
            (
                e
                for e in ctx.pools[role]
                if e.slug in BACKBONE[role]
                and (not LOADS.isdisjoint(e.equipment) or can_hold_weight(e, ctx))
            ),
            None,
        )
        if lift is not None:
            exercises.append(
                _prescription(
                    lift,
                    (8, 12),
                    LIFT_END_POINT,
                    f"One set of {lift.name.lower()} at 2–3 reps in reserve estimates your "
                    "one-rep max (Epley), the start of your loads and goals.",
                )
            )
    return Session(
        title="Assessment: calf, glute and trunk endurance, and your main lifts",
        estimated_minutes=25,
        warmup_minutes=5,
        warmup=list(warmup_drills(5, ctx.available, None)),
        exercises=exercises,
        notes=[
            "Log this session as a workout: each test's result becomes a baseline that loads "
            "and goals start from. Repeat it every 6–8 weeks to see what changed."
        ],
    )


def _prescription(
    exercise: Exercise, reps: tuple[int, int], end_point: str, why: str
) -> Prescription:
    return Prescription(
        exercise=exercise.slug,
        name=exercise.name,
        primary_muscles=list(exercise.primary_muscles),
        sets=1,
        reps=RepRange(min=reps[0], max=reps[1], unit=exercise.measure),
        per_side=exercise.unilateral or exercise.measure is Measure.steps,
        rest_s=120,
        work_s=reps[1] * 2 + 10,
        effort=Effort(rpe=10.0 if reps != (8, 12) else 7.5, rir=0 if reps != (8, 12) else 2),
        load_guidance=end_point,
        end_point=end_point,
        cues=list(exercise.cues),
        why=why,
    )

"""What a runner reads: the why of each exercise, load guidance and the plan's rationale."""

from app.catalog.models import Measure, Pattern
from app.enums import (
    Equipment,
    Focus,
    Phase,
)
from app.planning.context import Context
from app.planning.dosing import Item
from app.planning.rules import EVENT_NAMES, MAJOR_ROLES, Role

# ---------------------------------------------------------------------------------------------
# Building the response


ROLE_WHY = {
    Role.glutes: "Glutes drive hip extension and keep the hips level",
    Role.hamstrings: "Hamstrings extend the hip and bend the knee at push-off",
    Role.quads: "Quads straighten the knee and absorb every landing",
    Role.calves: "Calves steady the ankle and push you off the ground",
    Role.abductors: (
        "Hip abductors (glute medius) keep the pelvis level on each one-leg landing; "
        "every week has some (Distefano 2009, Lewis 2018)"
    ),
    Role.accessory: "Trunk and inner-thigh control keeps the legs' force going where you run",
}
FOCUS_WHY = {
    Focus.endurance: (
        "endurance focus for the {event}: slow-twitch fibres dominate, so sets of 12–20 at "
        "2–3 reps in reserve build fatigue resistance"
    ),
    Focus.strength: (
        "strength focus for the {event}: moderate-heavy sets with long rests improve running "
        "economy (Blagrove 2018)"
    ),
    Focus.power: (
        "power focus for the {event}: few fast reps and plyometric contacts train fast fibres "
        "and stiffen tendons (Rønnestad & Mujika 2014)"
    ),
    Focus.resilience: (
        "resilience focus: slow eccentrics and holds toughen tendons and muscles against injury"
    ),
}


def why(item: Item, ctx: Context, phase: Phase, in_taper_days: bool) -> str:
    parts = [ROLE_WHY[item.role]]
    if item.role is Role.glutes and ctx.focus is Focus.endurance:
        parts = [f"Glute endurance keeps your hips level late in a {EVENT_NAMES[ctx.event]}"]
    if item.nordic is not None:
        parts = [
            "Nordic curls cut hamstring injuries by about half (van Dyk 2019); dosed by the "
            f"Mjølsnes 2004 progression, step {item.nordic.step} ({item.nordic.per_week}×/week "
            f"at most), never skipping a step"
        ]
    elif item.role in (*MAJOR_ROLES, Role.abductors, Role.accessory):
        parts.append(FOCUS_WHY[ctx.focus].format(event=EVENT_NAMES[ctx.event]))
    if item.exercise.unilateral and item.role in MAJOR_ROLES:
        parts.append("one leg at a time, as in running, evens out left and right")
    if item.reps == (8, 12) and ctx.focus is Focus.endurance:
        parts.append("build phase: the main lift goes heavier, 8–12 reps")
    if phase is Phase.deload:
        parts.append("deload week: fewer sets and more in reserve so the body absorbs the work")
    elif phase is Phase.taper:
        parts.append("taper: light and familiar so your legs are fresh on race day")
    elif in_taper_days:
        parts.append("last 10 days before the race: only exercises you already know")
    return "; ".join(parts) + "."


def load_guidance(item: Item, ctx: Context, rir: int) -> str:
    ex = item.exercise
    if item.nordic is not None:
        return (
            "Bodyweight; lower as slowly as you can, catch yourself with the hands, push back up."
        )
    if ex.measure is Measure.seconds:
        return f"Hold with good form; stop the set with about {rir} seconds' worth of effort left."
    if ex.pattern is Pattern.plyometric:
        return "Bodyweight; quick, springy contacts — stop the set as soon as contacts slow."
    loaded = set(ex.equipment) & {
        Equipment.dumbbell,
        Equipment.kettlebell,
        Equipment.barbell,
        Equipment.machine,
        Equipment.cable,
    }
    if loaded:
        return (
            f"Pick a load you could lift {rir} more times than asked; once you beat the top "
            "of the range by 2 reps in two sessions in a row, add 2–10% (NSCA 2-for-2)."
        )
    if Equipment.band in ex.equipment:
        return (
            f"A band that leaves about {rir} reps in reserve; a lower band works the glutes more."
        )
    return (
        f"Bodyweight, leaving {rir} reps in reserve; when the top of the range feels easy, "
        "slow the lowering or hold a weight."
    )

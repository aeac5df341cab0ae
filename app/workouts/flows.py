"""Changes to workouts that reach into other rooms (docs/architecture.md "Flows"): a logged or
changed workout may reach a goal."""

from sqlmodel import Session

from app.athletes.models import Athlete
from app.goals import service as goals
from app.workouts import service
from app.workouts.models import Workout
from app.workouts.schemas import WorkoutIn, WorkoutPatch


def log_workout(session: Session, athlete: Athlete, body: WorkoutIn) -> Workout:
    workout = service.create(session, athlete, body)
    goals.announce_reached(session, athlete)
    return workout


def change_workout(
    session: Session,
    athlete: Athlete,
    workout: Workout,
    body: WorkoutIn | WorkoutPatch,
    if_match: str | None,
) -> Workout:
    service.update(session, athlete, workout, body, if_match)
    goals.announce_reached(session, athlete)
    return workout

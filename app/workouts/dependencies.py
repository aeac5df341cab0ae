"""`OwnedWorkout`: the workout of the path, of the caller's athlete of the path."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.athletes.dependencies import OwnedAthlete
from app.db import SessionDep
from app.workouts import service
from app.workouts.models import Workout

WorkoutId = Annotated[uuid.UUID, Path(description="The workout's id.")]


def owned_workout(athlete: OwnedAthlete, workout_id: WorkoutId, session: SessionDep) -> Workout:
    """404 unless the workout belongs to the athlete, which the caller's account owns."""
    return service.get_owned(session, athlete, workout_id)


OwnedWorkout = Annotated[Workout, Depends(owned_workout)]

"""`WorkoutAccess`: the workout of the path, of the caller's athlete of the path, checked in the
route's own thread (see app.athletes.dependencies)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session

from app.athletes.dependencies import Access, AthleteId
from app.athletes.models import Athlete
from app.auth.dependencies import Credentials, DeferredCheck, defer
from app.workouts import service
from app.workouts.models import Workout

WorkoutId = Annotated[uuid.UUID, Path(description="The workout's id.")]


class WorkoutClaim(DeferredCheck):
    """A call's claim on the workout of its path, not yet checked."""

    def __init__(self, athlete: Access, workout_id: uuid.UUID) -> None:
        self.access = athlete
        self.workout_id = workout_id
        self._workout: Workout | None = None

    def athlete_and_workout(self, session: Session) -> tuple[Athlete, Workout]:
        """As Access.athlete (401, 403, 404); then 404 unless the workout is that athlete's."""
        athlete = self.access.athlete(session)
        if self._workout is None:
            self._workout = service.get_owned(session, athlete, self.workout_id)
        return athlete, self._workout

    def check(self, session: Session) -> None:
        self.athlete_and_workout(session)


async def workout_access(
    athlete_id: AthleteId, workout_id: WorkoutId, request: Request, credentials: Credentials
) -> WorkoutClaim:
    """The claim, checked as AthleteAccess's is; the path's ids in the path's order."""
    athlete = Access.of(athlete_id, request, credentials)
    return defer(request, WorkoutClaim(athlete, workout_id))


WorkoutAccess = Annotated[WorkoutClaim, Depends(workout_access)]


async def _workout_access_workout_first(
    workout_id: WorkoutId, athlete_id: AthleteId, request: Request, credentials: Credentials
) -> WorkoutClaim:
    """GET of one workout has always listed the workout's id first: SDKs generated from the
    OpenAPI document take path parameters in its order, so it stays."""
    return await workout_access(athlete_id, workout_id, request, credentials)


WorkoutAccessWorkoutFirst = Annotated[WorkoutClaim, Depends(_workout_access_workout_first)]

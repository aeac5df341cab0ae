"""`OwnedAthlete`: the athlete of the path, owned by the caller; a route cannot forget it."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request

from app.athletes import service
from app.athletes.models import Athlete
from app.auth.dependencies import Credentials, authorize_with, scope_for
from app.db import SessionDep

AthleteId = Annotated[uuid.UUID, Path(description="The athlete's id.")]


def owned_athlete(
    athlete_id: AthleteId, request: Request, credentials: Credentials, session: SessionDep
) -> Athlete:
    """401 or 403 unless the token may make this call (the scope follows the method); then 404,
    exactly as for a missing athlete, unless the caller's account owns it. The token and the
    athlete are read in one statement, in one trip to the thread pool."""
    _, athlete = authorize_with(
        session,
        credentials,
        scope_for(request.method),
        service.OWNED_WITH_TOKEN,
        {"athlete_id": athlete_id},
    )
    return service.owned(athlete)


OwnedAthlete = Annotated[Athlete, Depends(owned_athlete)]

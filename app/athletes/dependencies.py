"""`OwnedAthlete`: the athlete of the path, owned by the caller; a route cannot forget it."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.athletes import service
from app.athletes.models import Athlete
from app.auth.dependencies import Caller
from app.db import SessionDep

AthleteId = Annotated[uuid.UUID, Path(description="The athlete's id.")]


def owned_athlete(athlete_id: AthleteId, principal: Caller, session: SessionDep) -> Athlete:
    """404, exactly as for a missing athlete, unless the caller's account owns it."""
    return service.get_owned(session, principal.account, athlete_id)


OwnedAthlete = Annotated[Athlete, Depends(owned_athlete)]

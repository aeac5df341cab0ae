"""`OwnedAthlete`: the athlete of the path, owned by the caller; a route cannot forget it."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request

from app.athletes import service
from app.athletes.models import Athlete
from app.auth.dependencies import Credentials, authorize, scope_for
from app.db import SessionDep

AthleteId = Annotated[uuid.UUID, Path(description="The athlete's id.")]


def owned_athlete(
    athlete_id: AthleteId, request: Request, credentials: Credentials, session: SessionDep
) -> Athlete:
    """401 or 403 unless the token may make this call (the scope follows the method); then 404,
    exactly as for a missing athlete, unless the caller's account owns it. One dependency, so
    the thread pool is entered once for both lookups."""
    principal = authorize(session, credentials, scope_for(request.method))
    return service.get_owned(session, principal.account_id, athlete_id)


OwnedAthlete = Annotated[Athlete, Depends(owned_athlete)]

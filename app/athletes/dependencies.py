"""The athlete of the path, owned by the caller. A route that forgets the check fails
tests/test_security_matrix.py, which calls every athlete route with every kind of caller.

Sync routes take `AthleteAccess` and call `access.athlete(session)` first thing: the token and
the athlete are checked in the route's own thread, one trip to the thread pool instead of two.
Async routes take `OwnedAthlete`, checked before the route runs in a thread-pool trip of its own
(an async route needs a thread for the check anyway); so does the import, whose body a
dependency reads: the caller is checked before the upload is. Both check alike, and in the same
order: 401 or 403, then 404, then 422."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlmodel import Session

from app.athletes import service
from app.athletes.models import Athlete
from app.auth.dependencies import Credentials, DeferredCheck, authorize_with, defer, scope_for
from app.db import SessionDep
from app.enums import Scope

AthleteId = Annotated[uuid.UUID, Path(description="The athlete's id.")]


class Access(DeferredCheck):
    """A call's claim on the athlete of its path, not yet checked."""

    def __init__(
        self,
        athlete_id: uuid.UUID,
        scope: Scope,
        credentials: HTTPAuthorizationCredentials | None,
    ) -> None:
        self.athlete_id = athlete_id
        self.scope = scope
        self.credentials = credentials
        self._athlete: Athlete | None = None

    @classmethod
    def of(
        cls,
        athlete_id: uuid.UUID,
        request: Request,
        credentials: HTTPAuthorizationCredentials | None,
    ) -> "Access":
        """The request's claim: the scope it needs follows its method."""
        return cls(athlete_id, scope_for(request.method), credentials)

    def athlete(self, session: Session) -> Athlete:
        """401 or 403 unless the token may make this call (the scope follows the method); then
        404, exactly as for a missing athlete, unless the caller's account owns it. The token and
        the athlete are read in one statement; once a request."""
        if self._athlete is None:
            _, found = authorize_with(
                session,
                self.credentials,
                self.scope,
                service.OWNED_WITH_TOKEN,
                {"athlete_id": self.athlete_id},
            )
            self._athlete = service.owned(found)
        return self._athlete

    def check(self, session: Session) -> None:
        self.athlete(session)


async def athlete_access(
    athlete_id: AthleteId, request: Request, credentials: Credentials
) -> Access:
    """The claim, checked by the route (`access.athlete(unit.session)`), or before a 422 if the
    request's parameters or body are invalid (app.exception_handlers)."""
    return defer(request, Access.of(athlete_id, request, credentials))


AthleteAccess = Annotated[Access, Depends(athlete_access)]


def owned_athlete(access: AthleteAccess, session: SessionDep) -> Athlete:
    """The athlete, checked before the route runs."""
    return access.athlete(session)


OwnedAthlete = Annotated[Athlete, Depends(owned_athlete)]

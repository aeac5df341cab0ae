"""Who is calling, with which scope: Reader, Writer, and the pieces `OwnedAthlete` builds on."""

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.auth.service import Principal, authenticate
from app.db import READ_METHODS, SessionDep
from app.enums import Scope
from app.errors import Forbidden, Unauthorized
from app.logs import note_account

bearer = HTTPBearer(
    auto_error=False, description="A token from `legwork account create` or POST /v1/tokens."
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authorize(
    session: Session, credentials: HTTPAuthorizationCredentials | None, scope: Scope
) -> Principal:
    """The caller, if the token is known (else 401) and holds `scope` (else 403)."""
    if credentials is None:
        raise Unauthorized("Send Authorization: Bearer <token>")
    principal = authenticate(session, credentials.credentials)
    if principal is None:
        raise Unauthorized("The bearer token is unknown or revoked")
    note_account(principal.account_id)
    if scope not in principal.scopes:
        raise Forbidden(f"This call needs a token with the {scope.value!r} scope")
    return principal


def scope_for(method: str) -> Scope:
    """`read` to read, `write` to change."""
    return Scope.read if method in READ_METHODS else Scope.write


def _require(scope: Scope) -> object:
    def dependency(session: SessionDep, credentials: Credentials) -> Principal:
        return authorize(session, credentials, scope)

    return dependency


Reader = Annotated[Principal, Depends(_require(Scope.read))]
Writer = Annotated[Principal, Depends(_require(Scope.write))]

AUTH_ERRORS = (401, 403)

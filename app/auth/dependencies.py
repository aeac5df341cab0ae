"""Who is calling, with which scope: Reader, Writer, and the pieces `OwnedAthlete` builds on."""

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.auth.service import TOKEN_BY_HASH, Principal, TokenLookup, authenticate_with
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
    return authorize_with(session, credentials, scope, TOKEN_BY_HASH)[0]


def authorize_with(
    session: Session,
    credentials: HTTPAuthorizationCredentials | None,
    scope: Scope,
    lookup: TokenLookup,
    params: dict[str, Any] | None = None,
) -> tuple[Principal, Any]:
    """As `authorize`, with what `lookup` (app.auth.service.token_lookup) joined to the token:
    401 and 403 come first, whatever it found."""
    if credentials is None:
        raise Unauthorized("Send Authorization: Bearer <token>")
    found = authenticate_with(session, credentials.credentials, lookup, params)
    if found is None:
        raise Unauthorized("The bearer token is unknown or revoked")
    principal, also = found
    note_account(principal.account_id)
    if scope not in principal.scopes:
        raise Forbidden(f"This call needs a token with the {scope.value!r} scope")
    return principal, also


def scope_for(method: str) -> Scope:
    """`read` to read, `write` to change."""
    return Scope.read if method in READ_METHODS else Scope.write


class DeferredCheck:
    """A check of who calls that a dependency leaves to the route's own thread (one trip to the
    thread pool instead of two). If FastAPI refuses the request's parameters or body first, the
    422 handler runs the check and answers its 401, 403 or 404 instead: a caller who may not
    make the call learns nothing from the validation of what it sent."""

    def check(self, session: Session) -> None:
        raise NotImplementedError


_DEFERRED = "legwork.deferred_check"  # ASGI scope key


Check = TypeVar("Check", bound=DeferredCheck)


def defer(request: Request, check: Check) -> Check:
    """Leave `check` to the route; see DeferredCheck."""
    request.scope[_DEFERRED] = check
    return check


def deferred_check(request: Request) -> DeferredCheck | None:
    """The request's deferred check, if a dependency left one."""
    check = request.scope.get(_DEFERRED)
    return check if isinstance(check, DeferredCheck) else None


def _require(scope: Scope) -> object:
    def dependency(session: SessionDep, credentials: Credentials) -> Principal:
        return authorize(session, credentials, scope)

    return dependency


Reader = Annotated[Principal, Depends(_require(Scope.read))]
Writer = Annotated[Principal, Depends(_require(Scope.write))]

AUTH_ERRORS = (401, 403)

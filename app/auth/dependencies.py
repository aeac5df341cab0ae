"""The CurrentAccount dependencies: who is calling, with which scope."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.service import Principal, authenticate
from app.db import READ_METHODS, SessionDep
from app.enums import Scope
from app.errors import Forbidden, Unauthorized

bearer = HTTPBearer(
    auto_error=False, description="A token from `legwork account create` or POST /v1/tokens."
)


def current_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthorized("Send Authorization: Bearer <token>")
    principal = authenticate(session, credentials.credentials)
    if principal is None:
        raise Unauthorized("The bearer token is unknown or revoked")
    return principal


def _check_scope(principal: Principal, scope: Scope) -> Principal:
    if scope not in principal.scopes:
        raise Forbidden(f"This call needs a token with the {scope.value!r} scope")
    return principal


def _require(scope: Scope) -> object:
    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        return _check_scope(principal, scope)

    return dependency


async def principal_for_method(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> Principal:
    """The caller, holding the scope the HTTP method needs: `read` to read, `write` to change."""
    return _check_scope(principal, Scope.read if request.method in READ_METHODS else Scope.write)


Reader = Annotated[Principal, Depends(_require(Scope.read))]
Writer = Annotated[Principal, Depends(_require(Scope.write))]
Caller = Annotated[Principal, Depends(principal_for_method)]

AUTH_ERRORS = (401, 403)

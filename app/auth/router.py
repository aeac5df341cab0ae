import uuid

from fastapi import APIRouter, Response, status

from app.auth import service
from app.auth.dependencies import AUTH_ERRORS, Reader, Writer
from app.auth.models import ApiToken
from app.auth.schemas import TokenCreate, TokenCreated, TokenPublic
from app.db import SessionDep
from app.errors import problem_responses
from app.pagination import Page, PageDep

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])


def _public(token: ApiToken) -> TokenPublic:
    return TokenPublic(
        id=token.id,
        name=token.name,
        scopes=sorted(service.parse_scopes(token.scopes)),
        created_at=token.created_at,
        last_used_at=token.last_used_at,
    )


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTH_ERRORS, 422),
)
def create_token(body: TokenCreate, principal: Writer, session: SessionDep) -> TokenCreated:
    """Issue another token for the calling account; its secret is in the answer, once."""
    token, secret = service.create_token(session, principal, frozenset(body.scopes), body.name)
    return TokenCreated(**_public(token).model_dump(), token=secret)


@router.get("", name="list", responses=problem_responses(*AUTH_ERRORS, 422))
def list_tokens(principal: Reader, session: SessionDep, page: PageDep) -> Page[TokenPublic]:
    """The account's tokens, oldest first, without their secrets."""
    tokens, next_cursor = service.list_tokens(session, principal.account_id, page)
    return Page(items=[_public(t) for t in tokens], next_cursor=next_cursor)


@router.delete(
    "/{token_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def delete_token(token_id: uuid.UUID, principal: Writer, session: SessionDep) -> Response:
    """Revoke a token at once; it may be the one making this call."""
    service.revoke_token(session, principal.account_id, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

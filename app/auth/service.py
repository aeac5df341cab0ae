"""Accounts and bearer tokens: creation, lookup by hash, listing, revocation."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, event, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.auth.models import Account, ApiToken
from app.db import utcnow
from app.enums import Scope
from app.errors import Forbidden, NotFound
from app.pagination import PageParams, keyset_page

TOKEN_PREFIX = "lw_"
# Refreshing last_used_at on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account, the token used and what it may do."""

    account_id: uuid.UUID
    token_id: uuid.UUID
    scopes: frozenset[Scope]


def parse_scopes(stored: str) -> frozenset[Scope]:
    return frozenset(Scope(s) for s in stored.split())


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_account(session: Session, name: str) -> tuple[Account, str]:
    """A new account with a read+write token; returns the token's secret."""
    account = Account(name=name)
    session.add(account)
    session.flush()
    _, secret = issue_token(session, account.id, frozenset(Scope), name="created with the account")
    return account, secret


def issue_token(
    session: Session, account_id: uuid.UUID, scopes: frozenset[Scope], name: str | None = None
) -> tuple[ApiToken, str]:
    """A token of 256 random bits; only its hash is stored, the secret is returned once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account_id=account_id,
        name=name,
        token_hash=hash_token(secret),
        scopes=" ".join(sorted(scopes)),
    )
    session.add(token)
    session.flush()
    return token, secret


# Every authenticated request runs these: built once, not per call.
TokenLookup = Select[*tuple[Any, ...]]
_TOKEN_COLUMNS = (
    col(ApiToken.id),
    col(ApiToken.account_id),
    col(ApiToken.scopes),
    col(ApiToken.last_used_at),
    col(ApiToken.token_hash),
)


def token_lookup(joined: tuple[Any, ColumnElement[bool]] | None = None) -> TokenLookup:
    """The statement `authenticate` runs: the token by its hash (:digest) — and, `joined` as
    (entity, onclause), that entity outer-joined to it, None where it finds nothing. A dependency
    that needs a row beside the caller (the athlete of the path) reads both in one round trip."""
    query: TokenLookup = select_columns(*_TOKEN_COLUMNS).where(
        col(ApiToken.token_hash) == bindparam("digest")
    )
    if joined is None:
        return query
    entity, onclause = joined
    return query.add_columns(entity).outerjoin(entity, onclause)


TOKEN_BY_HASH = token_lookup()
_STAMP = (
    update(ApiToken)
    .where(col(ApiToken.id) == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal holding `secret`, or None."""
    found = authenticate_with(session, secret, TOKEN_BY_HASH)
    return None if found is None else found[0]


def authenticate_with(
    session: Session, secret: str, lookup: TokenLookup, params: dict[str, Any] | None = None
) -> tuple[Principal, Any] | None:
    """The principal holding `secret` and what `lookup` (from `token_lookup`) joined to it, or
    None."""
    digest = hash_token(secret)
    row = session.execute(lookup, {"digest": digest, **(params or {})}).first()
    if row is None:
        return None
    token_id, account_id, scopes, last_used_at, stored_hash, *also = row
    if not hmac.compare_digest(stored_hash, digest):
        return None
    now = utcnow()
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        session.info.setdefault(_PENDING_STAMPS, {})[token_id] = now
    principal = Principal(account_id=account_id, token_id=token_id, scopes=parse_scopes(scopes))
    return principal, also[0] if also else None


_PENDING_STAMPS = "legwork.token_stamps"


@event.listens_for(Session, "before_commit")
def _stamp_tokens(session: Session) -> None:
    """Write last_used_at as the request commits (at most once a minute per token), not when
    the token is looked up: on SQLite a read then holds the write lock for this one UPDATE
    only, not for the rest of the request. For a read it is best effort (app.db)."""
    for token_id, now in session.info.pop(_PENDING_STAMPS, {}).items():
        session.execute(_STAMP, {"token_id": token_id, "now": now})


def create_token(
    session: Session, principal: Principal, scopes: frozenset[Scope], name: str | None
) -> tuple[ApiToken, str]:
    extra = scopes - principal.scopes
    if extra:
        raise Forbidden(
            f"A token cannot grant scopes its creator lacks: {', '.join(sorted(extra))}"
        )
    return issue_token(session, principal.account_id, scopes, name)


def list_tokens(
    session: Session, account_id: uuid.UUID, page: PageParams
) -> tuple[list[ApiToken], str | None]:
    query = select(ApiToken).where(ApiToken.account_id == account_id)
    return keyset_page(session, query, [col(ApiToken.created_at), col(ApiToken.id)], page)


def revoke_token(session: Session, account_id: uuid.UUID, token_id: uuid.UUID) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account_id:
        raise NotFound("No token with this id")
    session.delete(token)
    session.flush()

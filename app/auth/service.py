"""Accounts and bearer tokens: creation, lookup by hash, listing, revocation."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

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
    """Who is calling: the account and the token used."""

    account: Account
    token: ApiToken

    @property
    def scopes(self) -> frozenset[Scope]:
        return parse_scopes(self.token.scopes)


def parse_scopes(stored: str) -> frozenset[Scope]:
    return frozenset(Scope(s) for s in stored.split())


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_account(session: Session, name: str) -> tuple[Account, str]:
    """A new account with a read+write token; returns the token's secret."""
    account = Account(name=name)
    session.add(account)
    session.flush()
    _, secret = issue_token(session, account, frozenset(Scope), name="created with the account")
    return account, secret


def issue_token(
    session: Session, account: Account, scopes: frozenset[Scope], name: str | None = None
) -> tuple[ApiToken, str]:
    """A token of 256 random bits; only its hash is stored, the secret is returned once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account_id=account.id,
        name=name,
        token_hash=hash_token(secret),
        scopes=" ".join(sorted(scopes)),
    )
    session.add(token)
    session.flush()
    return token, secret


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal holding `secret`, or None."""
    digest = hash_token(secret)
    row = session.exec(
        select(ApiToken, Account)
        .join(Account, col(Account.id) == col(ApiToken.account_id))
        .where(ApiToken.token_hash == digest)
    ).first()
    if row is None:
        return None
    token, account = row
    if not hmac.compare_digest(token.token_hash, digest):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # Commits with the request; for a read it is best effort (app.db: a busy database must
        # not fail a read over this stamp).
        token.last_used_at = now
        session.add(token)
    return Principal(account=account, token=token)


def create_token(
    session: Session, principal: Principal, scopes: frozenset[Scope], name: str | None
) -> tuple[ApiToken, str]:
    extra = scopes - principal.scopes
    if extra:
        raise Forbidden(
            f"A token cannot grant scopes its creator lacks: {', '.join(sorted(extra))}"
        )
    return issue_token(session, principal.account, scopes, name)


def list_tokens(
    session: Session, account: Account, page: PageParams
) -> tuple[list[ApiToken], str | None]:
    query = select(ApiToken).where(ApiToken.account_id == account.id)
    return keyset_page(session, query, [col(ApiToken.created_at), col(ApiToken.id)], page)


def revoke_token(session: Session, account: Account, token_id: uuid.UUID) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id:
        raise NotFound("No token with this id")
    session.delete(token)
    session.flush()

"""The changes feed: a row per change, written by the service that makes the change, in its
transaction (`record`); read in `seq` order per account (`page`).

Order without gaps: as the transaction commits, its recorded changes are written after an
UPDATE that increments accounts.change_seq, which holds the account row's lock until the
transaction ends (PostgreSQL) or runs under SQLite's single write lock. Two transactions of one
account therefore take their seqs in the order they commit, and a reader that has seen seq n
will never later find a committed n - 1 it skipped — which an autoincrement read under
concurrent transactions could not promise. Taken at commit, the lock is held for a statement
or two, not for the rest of the request."""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import Insert, bindparam, delete, event, func, insert, select, update
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from app.auth.models import ACCOUNTS
from app.changes.models import CHANGES
from app.config import get_settings
from app.db import utcnow
from app.errors import InvalidInput, ResyncRequired
from app.pagination import decode_cursor, encode_cursor

PRUNE_EVERY = 256  # an account's changes are pruned once every so many of them


class Kind(StrEnum):
    athlete = "athlete"
    workout = "workout"
    plan = "plan"
    goal = "goal"
    custom_exercise = "custom_exercise"


class Op(StrEnum):
    upsert = "upsert"
    delete = "delete"


class Changed(NamedTuple):
    """One thing that changed: what, which, whose, and its ETag after the change."""

    kind: Kind
    entity_id: uuid.UUID | str
    athlete_id: uuid.UUID | None
    op: Op
    etag: str | None = None
    event: str | None = None  # a webhook event beyond the kind's own (app.webhooks)


_PENDING = "legwork.changes"  # session.info: the (account, changes) recorded, not yet written


def record(session: Session, account_id: uuid.UUID, *changed: Changed) -> None:
    """Add these changes to the account's feed when this transaction commits, in it; a
    rollback forgets them."""
    if changed:
        session.connection()  # begun, if it was not: its end forgets them
        session.info.setdefault(_PENDING, []).append((account_id, changed))


@event.listens_for(Session, "before_commit")
def _write_recorded(session: Session) -> None:
    """The recorded changes, each account's in the order they were recorded. Last of the
    transaction's work, so the account row is locked after any athlete row, and briefly."""
    pending = session.info.pop(_PENDING, ())
    if not pending:
        return
    session.flush()  # the ORM's pending writes first: they may lock athlete rows
    by_account: dict[uuid.UUID, list[Changed]] = {}
    for account_id, changed in pending:
        by_account.setdefault(account_id, []).extend(changed)
    for account_id, changes in by_account.items():
        _write(session, account_id, changes)


@event.listens_for(Session, "after_transaction_end")
def _forget_recorded(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (a commit has written them)
        session.info.pop(_PENDING, None)


def _one_change() -> Insert:
    """A change's row and its seq in one statement (PostgreSQL, where an UPDATE … RETURNING
    can feed an INSERT): the account's next seq taken, the row written, the seq returned."""
    next_seq = (
        update(ACCOUNTS)
        .where(ACCOUNTS.c.id == bindparam("account_id"))
        .values(change_seq=ACCOUNTS.c.change_seq + 1)
        .returning(ACCOUNTS.c.change_seq)
        .cte("next_seq")
    )
    row = [
        next_seq.c.change_seq if c.name == "seq" else bindparam(c.name, type_=c.type)
        for c in CHANGES.columns
    ]
    return (
        insert(CHANGES)
        .from_select([c.name for c in CHANGES.columns], select(*row))
        .returning(CHANGES.c.seq)
    )


ONE_CHANGE = _one_change()
# Built once: a statement built per call costs ~100 µs more to key and look up in SQLAlchemy's
# compiled cache than its execution on SQLite (~30 µs), inside the write lock.
TAKE_SEQS = (
    update(ACCOUNTS)
    .where(ACCOUNTS.c.id == bindparam("account_id"))
    .values(change_seq=ACCOUNTS.c.change_seq + bindparam("count"))
    .returning(ACCOUNTS.c.change_seq)
)
INSERT_CHANGES = insert(CHANGES)


def _row(account_id: uuid.UUID, seq: int | None, at: datetime, c: Changed) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "seq": seq,
        "at": at,
        "kind": c.kind.value,
        "entity_id": str(c.entity_id),
        "athlete_id": c.athlete_id,
        "op": c.op.value,
        "etag": c.etag,
        "event": c.event,
    }


def _write(session: Session, account_id: uuid.UUID, changed: Sequence[Changed]) -> None:
    at = utcnow()
    if len(changed) == 1 and session.connection().dialect.name == "postgresql":
        # A round trip less for the usual single change, and the account row locked for one.
        last = session.execute(ONE_CHANGE, _row(account_id, None, at, changed[0])).scalar_one()
        first = last
    else:
        connection = session.connection()
        seqs = {"account_id": account_id, "count": len(changed)}
        last = connection.execute(TAKE_SEQS, seqs).scalar_one()
        first = last - len(changed) + 1
        rows = [_row(account_id, first + i, at, c) for i, c in enumerate(changed)]
        connection.execute(INSERT_CHANGES, rows[0] if len(rows) == 1 else rows)
    if first // PRUNE_EVERY != (last + 1) // PRUNE_EVERY:
        prune(session, account_id)


def prune(session: Session, account_id: uuid.UUID) -> None:
    """Drop the account's changes older than the retention period; remember up to where."""
    cutoff = utcnow() - timedelta(days=get_settings().changes_retention_days)
    through = session.execute(
        select(func.max(CHANGES.c.seq)).where(
            CHANGES.c.account_id == account_id, CHANGES.c.at < cutoff
        )
    ).scalar_one()
    if through is None:
        return
    session.execute(
        delete(CHANGES).where(CHANGES.c.account_id == account_id, CHANGES.c.seq <= through)
    )
    session.execute(
        update(ACCOUNTS).where(ACCOUNTS.c.id == account_id).values(changes_pruned_to=through)
    )


def _cursor(seq: int) -> str:
    return encode_cursor([seq])


def page(session: Session, account_id: uuid.UUID, cursor: str | None, limit: int) -> dict[str, Any]:
    """The account's changes after `cursor` (from the oldest retained without one), oldest
    first. `next_cursor` is always given: where to ask again, now or later."""
    pruned_to = session.execute(
        select(ACCOUNTS.c.changes_pruned_to).where(ACCOUNTS.c.id == account_id)
    ).scalar_one()
    if cursor is None:
        after = pruned_to
    else:
        (after,) = decode_cursor(cursor, 1)
        if type(after) is not int or after < 0:  # not a bool either: [true] is no cursor
            raise InvalidInput("cursor", "Not a cursor this list returned")
        if after < pruned_to:
            days = get_settings().changes_retention_days
            raise ResyncRequired(
                f"changes after this cursor are past the {days}-day retention and gone: fetch "
                "the account's data again, then read the feed again without a cursor"
            )
    rows: Sequence[Any] = session.execute(
        select(CHANGES)
        .where(CHANGES.c.account_id == account_id, CHANGES.c.seq > after)
        .order_by(CHANGES.c.seq)
        .limit(limit)
    ).all()
    items = [
        {
            "cursor": _cursor(row.seq),
            "at": row.at,
            "kind": row.kind,
            "id": row.entity_id,
            "athlete_id": row.athlete_id,
            "op": row.op,
            "etag": row.etag,
        }
        for row in rows
    ]
    return {"items": items, "next_cursor": _cursor(rows[-1].seq if rows else after)}

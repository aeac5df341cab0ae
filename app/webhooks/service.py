"""Webhook subscriptions of an account: create (the secret shown once), read, change, delete,
ping, and the deliveries log. The secret is kept sealed with the server key (app.keys), not
hashed: signing needs the secret itself."""

import secrets
import uuid
from typing import Any

from sqlmodel import Session, col, select

from app import keys
from app.auth.models import ACCOUNTS
from app.config import get_settings
from app.db import utcnow
from app.errors import NotFound
from app.pagination import PageParams, keyset_page
from app.webhooks import delivery
from app.webhooks.models import Webhook, WebhookDelivery
from app.webhooks.safety import checked_url
from app.webhooks.schemas import WebhookIn, WebhookPatch

SECRET_PREFIX = "whsec_"


def create(session: Session, account_id: uuid.UUID, body: WebhookIn) -> tuple[Webhook, str]:
    url = checked_url(body.url, get_settings().webhook_allow_private)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    # Only what changes from now on is sent: the cursor starts at the account's last change.
    last_change = session.execute(
        select(ACCOUNTS.c.change_seq).where(ACCOUNTS.c.id == account_id)
    ).scalar_one()
    webhook = Webhook(
        account_id=account_id,
        url=url,
        events=[e.value for e in dict.fromkeys(body.events)],
        description=body.description,
        secret_sealed=keys.seal(secret),
        cursor_seq=last_change,
    )
    session.add(webhook)
    session.flush()
    return webhook, secret


def get_owned(session: Session, account_id: uuid.UUID, webhook_id: uuid.UUID) -> Webhook:
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.account_id != account_id:
        raise NotFound("No webhook with this id")
    return webhook


def list_page(
    session: Session, account_id: uuid.UUID, page: PageParams
) -> tuple[list[Webhook], str | None]:
    query = select(Webhook).where(Webhook.account_id == account_id)
    return keyset_page(session, query, [col(Webhook.created_at), col(Webhook.id)], page)


def update(session: Session, webhook: Webhook, body: WebhookPatch) -> Webhook:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude_none=True)
    if "url" in changes:
        webhook.url = checked_url(changes.pop("url"), get_settings().webhook_allow_private)
    if "events" in changes:
        webhook.events = [e.value for e in dict.fromkeys(changes.pop("events"))]
    for field, value in changes.items():
        setattr(webhook, field, value)
    webhook.updated_at = utcnow()
    session.add(webhook)
    session.flush()
    return webhook


def delete(session: Session, webhook: Webhook) -> None:
    session.delete(webhook)
    session.flush()


def ping(session: Session, webhook: Webhook) -> WebhookDelivery:
    """POST a `ping` event now and log it; the answer says how it went. The POST comes first,
    so no write lock is held while the receiver answers."""
    event_id = uuid.uuid4()
    now = utcnow()
    body = delivery.payload(event_id, "ping", now, {"webhook_id": str(webhook.id)})
    status, error = delivery.post(
        webhook.url,
        keys.unseal(webhook.secret_sealed),
        event_id,
        body,
        get_settings().webhook_allow_private,
    )
    row = WebhookDelivery(
        webhook_id=webhook.id,
        event_id=event_id,
        type="ping",
        payload=body,
        status="delivered" if delivery.answered_ok(status) else "failed",
        attempts=1,
        last_status_code=status,
        last_error=error,
    )
    session.add(row)
    session.flush()
    return row


def deliveries(
    session: Session, webhook: Webhook, page: PageParams
) -> tuple[list[WebhookDelivery], str | None]:
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    order = [col(WebhookDelivery.created_at), col(WebhookDelivery.id)]
    return keyset_page(session, query, order, page, descending=True)

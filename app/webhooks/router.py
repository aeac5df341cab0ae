"""Webhooks: subscriptions of the caller's account, ping, deliveries."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.auth.dependencies import AUTH_ERRORS, Reader, Writer
from app.db import SessionDep
from app.errors import problem_responses
from app.pagination import Page, PageDep
from app.webhooks import service
from app.webhooks.schemas import (
    DeliveryPublic,
    WebhookCreated,
    WebhookIn,
    WebhookPatch,
    WebhookPublic,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
WebhookId = Annotated[uuid.UUID, Path(description="The webhook's id.")]


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTH_ERRORS, 422),
)
def create_webhook(
    body: WebhookIn, principal: Writer, session: SessionDep, response: Response
) -> WebhookCreated:
    """Subscribe a URL to events. The answer holds the signing secret, once: keep it.

    Each delivery is a POST of `{"id", "type", "created_at", "data"}` with `Legwork-Event-Id`
    and `Legwork-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`;
    answer 2xx within 10 s. Events of one webhook come in order; a failed one is retried with
    backoff for 25 hours (later ones wait), then marked failed. docs/api.md shows how to verify
    a signature."""
    webhook, secret = service.create(session, principal.account_id, body)
    response.headers["Location"] = f"{router.prefix}/{webhook.id}"
    return WebhookCreated.model_validate(
        {**WebhookPublic.model_validate(webhook).model_dump(), "secret": secret}
    )


@router.get("", name="list", responses=problem_responses(*AUTH_ERRORS, 422))
def list_webhooks(principal: Reader, session: SessionDep, page: PageDep) -> Page[WebhookPublic]:
    """The account's webhooks, oldest first (their secrets are never shown again)."""
    webhooks, next_cursor = service.list_page(session, principal.account_id, page)
    return Page(items=[WebhookPublic.model_validate(w) for w in webhooks], next_cursor=next_cursor)


@router.get("/{webhook_id}", name="get", responses=problem_responses(*AUTH_ERRORS, 404, 422))
def get_webhook(webhook_id: WebhookId, principal: Reader, session: SessionDep) -> WebhookPublic:
    """One webhook of the account."""
    return WebhookPublic.model_validate(
        service.get_owned(session, principal.account_id, webhook_id)
    )


@router.patch("/{webhook_id}", name="update", responses=problem_responses(*AUTH_ERRORS, 404, 422))
def update_webhook(
    webhook_id: WebhookId, body: WebhookPatch, principal: Writer, session: SessionDep
) -> WebhookPublic:
    """Change the URL, the events, the description or whether it is active."""
    webhook = service.get_owned(session, principal.account_id, webhook_id)
    return WebhookPublic.model_validate(service.update(session, webhook, body))


@router.delete(
    "/{webhook_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def delete_webhook(webhook_id: WebhookId, principal: Writer, session: SessionDep) -> Response:
    """Delete the webhook; nothing more is delivered to it."""
    service.delete(session, service.get_owned(session, principal.account_id, webhook_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{webhook_id}/ping", name="ping", responses=problem_responses(*AUTH_ERRORS, 404, 422))
def ping_webhook(webhook_id: WebhookId, principal: Writer, session: SessionDep) -> DeliveryPublic:
    """Send a `ping` event now; the answer is its delivery (status, the receiver's code)."""
    webhook = service.get_owned(session, principal.account_id, webhook_id)
    return DeliveryPublic.model_validate(service.ping(session, webhook))


@router.get(
    "/{webhook_id}/deliveries",
    name="deliveries",
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def list_deliveries(
    webhook_id: WebhookId, principal: Reader, session: SessionDep, page: PageDep
) -> Page[DeliveryPublic]:
    """The webhook's deliveries, newest first: status, attempts, the last answer."""
    webhook = service.get_owned(session, principal.account_id, webhook_id)
    rows, next_cursor = service.deliveries(session, webhook, page)
    return Page(items=[DeliveryPublic.model_validate(d) for d in rows], next_cursor=next_cursor)

"""Delivering webhooks: the changes feed (app.changes) is the outbox — its rows are written in
the transaction of the change — and each webhook keeps a cursor in it. A worker leases a webhook
that has something due, turns its next matching change into a delivery, POSTs it (signed, 10 s,
no redirects, at most 64 KiB of answer read), and on a 2xx moves the cursor on. Otherwise it
retries with exponential backoff and jitter, in order (later events wait), for 25 hours, then
marks the delivery failed and moves on. At least once: a worker that dies mid-delivery leaves
the lease to expire and another sends it again, with the same `Legwork-Event-Id`.

Workers run inside each server process (`legwork serve`, unless LEGWORK_WORKERS_EMBEDDED=false)
or apart (`legwork worker`); any number of them share the work through the leases (on
PostgreSQL claimed with FOR UPDATE SKIP LOCKED), and threads keep a slow receiver from holding
up the others."""

import json
import logging
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import httpx
import sqlmodel as sm
from prometheus_client import Counter, Gauge
from sqlalchemy import exists, func, or_, select, update
from sqlmodel import Session, col

from app import keys
from app.changes.models import CHANGES
from app.db import SessionFactory, utcnow
from app.webhooks.models import WEBHOOKS, Webhook, WebhookDelivery
from app.webhooks.safety import UnsafeURL, check_url
from app.webhooks.signing import signature

log = logging.getLogger("legwork.webhooks")

TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 64 * 1024
RETRY_FOR = timedelta(hours=25)
LEASE = timedelta(seconds=30)  # renewed at each delivery: one POST takes at most 10 s
FIRST_BACKOFF_S = 10.0
MAX_BACKOFF_S = 3600.0
STEPS_PER_LEASE = 4  # deliveries for one webhook before its lease is given back
USER_AGENT = "Legwork-Webhooks/1"

ATTEMPTS = Counter(
    "legwork_webhook_attempts",
    "Webhook POSTs made by this process, by outcome: delivered (2xx), retry (to be tried "
    "again), failed (given up after 25 hours).",
    ["outcome"],
)
DUE = Gauge(
    "legwork_webhooks_due",
    "Webhooks with events waiting to be sent, as this process's worker last counted them.",
)


def event_type(kind: str, op: str, etag: str | None, event: str | None = None) -> str | None:
    """The webhook event a change of the feed makes, if any."""
    if event is not None:
        return event
    if kind == "workout":
        if op == "delete":
            return "workout.deleted"
        return "workout.created" if etag == '"v1"' else "workout.updated"
    if kind == "plan":
        return "plan.updated"
    return None


def backoff_s(attempts: int, rng: random.Random, first_s: float = FIRST_BACKOFF_S) -> float:
    """Seconds before attempt `attempts + 1`: doubling from `first_s` (10 s), at most an hour,
    ±50 %."""
    base: float = min(first_s * 2.0 ** (attempts - 1), MAX_BACKOFF_S)
    return base * rng.uniform(0.5, 1.5)


def payload(event_id: uuid.UUID, kind: str, created_at: datetime, data: dict[str, Any]) -> str:
    body = {"id": str(event_id), "type": kind, "created_at": created_at.isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"))


def post(
    url: str, secret: str, event_id: uuid.UUID, body: str, allow_private: bool
) -> tuple[int | None, str | None]:
    """POST one delivery: (status code, None), or (None, why it did not get an answer)."""
    try:
        check_url(url, allow_private)  # again: what the name resolves to may have changed
    except UnsafeURL as exc:
        return None, f"refused: {exc}"
    raw = body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Legwork-Event-Id": str(event_id),
        "Legwork-Signature": signature(secret, int(time.time()), raw),
    }
    try:
        with (
            httpx.Client(timeout=TIMEOUT_S, follow_redirects=False) as client,
            client.stream("POST", url, content=raw, headers=headers) as answer,
        ):
            read = 0
            for chunk in answer.iter_raw():
                read += len(chunk)
                if read >= MAX_ANSWER_BYTES:
                    break
            return answer.status_code, None
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]


def answered_ok(status: int | None) -> bool:
    """A 2xx: the receiver took the event."""
    return status is not None and 200 <= status < 300


class Worker:
    """Delivers due webhooks with `threads` threads until `stop` is set."""

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        allow_private: bool,
        threads: int = 8,
        poll_s: float = 1.0,
        rng: random.Random | None = None,
        first_backoff_s: float = FIRST_BACKOFF_S,
    ) -> None:
        self.sessions = sessions
        self.allow_private = allow_private
        self.threads = threads
        self.poll_s = poll_s
        self.rng = rng or random.Random()
        self.first_backoff_s = first_backoff_s
        self.stop = threading.Event()

    # -- claiming ----------------------------------------------------------------------------

    def claim(self, limit: int) -> list[uuid.UUID]:
        """Lease up to `limit` webhooks with something due; a read first, so an idle poll
        takes no write lock."""
        now = utcnow()
        due = select(WEBHOOKS.c.id).where(
            WEBHOOKS.c.active.is_(True),
            WEBHOOKS.c.next_attempt_at <= now,
            or_(WEBHOOKS.c.lease_until.is_(None), WEBHOOKS.c.lease_until < now),
            exists().where(
                CHANGES.c.account_id == WEBHOOKS.c.account_id,
                CHANGES.c.seq > WEBHOOKS.c.cursor_seq,
            ),
        )
        with self.sessions() as session:
            waiting = session.execute(select(func.count()).select_from(due.subquery())).scalar()
            DUE.set(waiting or 0)
            if not waiting:
                return []
            due = due.order_by(WEBHOOKS.c.next_attempt_at).limit(limit)
            if session.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            claimed = session.execute(
                update(WEBHOOKS)
                .where(WEBHOOKS.c.id.in_(due.scalar_subquery()))
                .values(lease_until=now + LEASE)
                .returning(WEBHOOKS.c.id)
            ).scalars()
            ids = list(claimed)
            session.commit()
        return ids

    # -- one webhook -----------------------------------------------------------------------------

    def _next_delivery(self, session: Session, webhook: Webhook) -> WebhookDelivery | None:
        """The pending delivery at the head of the webhook's queue, made from its next matching
        change when there is none; the cursor skips changes it does not listen to."""
        pending = session.exec(
            sm.select(WebhookDelivery)
            .where(
                col(WebhookDelivery.webhook_id) == webhook.id,
                col(WebhookDelivery.status) == "pending",
                col(WebhookDelivery.change_seq).is_not(None),
            )
            .order_by(col(WebhookDelivery.change_seq))
        ).first()
        if pending is not None:
            return pending
        rows = session.execute(
            select(CHANGES)
            .where(CHANGES.c.account_id == webhook.account_id, CHANGES.c.seq > webhook.cursor_seq)
            .order_by(CHANGES.c.seq)
            .limit(500)
        ).all()
        for row in rows:
            kind = event_type(row.kind, row.op, row.etag, row.event)
            if kind is None or kind not in webhook.events:
                webhook.cursor_seq = row.seq
                continue
            event_id = uuid.uuid4()
            data = {
                "id": row.entity_id,
                "athlete_id": str(row.athlete_id) if row.athlete_id else None,
                "op": row.op,
                "etag": row.etag,
            }
            delivery = WebhookDelivery(
                webhook_id=webhook.id,
                event_id=event_id,
                type=kind,
                change_seq=row.seq,
                payload=payload(event_id, kind, row.at, data),
            )
            session.add(delivery)
            session.add(webhook)
            session.flush()
            return delivery
        session.add(webhook)
        return None

    def step(self, webhook_id: uuid.UUID) -> bool:
        """Send the webhook's next delivery; whether there may be more right away."""
        with self.sessions() as session:
            webhook = session.get(Webhook, webhook_id)
            if webhook is None or not webhook.active:
                return False
            webhook.lease_until = utcnow() + LEASE
            delivery = self._next_delivery(session, webhook)
            session.add(webhook)
            session.commit()
            if delivery is None:
                return False
            url, sealed = webhook.url, webhook.secret_sealed
            delivery_id, event_id, body = delivery.id, delivery.event_id, delivery.payload
        status, error = post(url, keys.unseal(sealed), event_id, body, self.allow_private)
        with self.sessions() as session:
            webhook = session.get(Webhook, webhook_id)
            delivery = session.get(WebhookDelivery, delivery_id)
            if webhook is None or delivery is None:
                return False
            now = utcnow()
            delivery.attempts += 1
            delivery.last_status_code = status
            delivery.last_error = error
            delivery.updated_at = now
            more = True
            if answered_ok(status) or now - delivery.created_at >= RETRY_FOR:
                delivery.status = "delivered" if answered_ok(status) else "failed"
                ATTEMPTS.labels(delivery.status).inc()
                webhook.cursor_seq = max(webhook.cursor_seq, delivery.change_seq or 0)
                webhook.next_attempt_at = now
            else:
                ATTEMPTS.labels("retry").inc()
                wait = backoff_s(delivery.attempts, self.rng, self.first_backoff_s)
                webhook.next_attempt_at = now + timedelta(seconds=wait)
                more = False
            session.add_all([webhook, delivery])
            session.commit()
        return more

    def handle(self, webhook_id: uuid.UUID) -> None:
        try:
            for _ in range(STEPS_PER_LEASE):
                if self.stop.is_set() or not self.step(webhook_id):
                    break
        except Exception:
            log.exception("webhook %s: delivery step failed", webhook_id)
        finally:
            with self.sessions() as session:
                session.execute(
                    update(WEBHOOKS).where(WEBHOOKS.c.id == webhook_id).values(lease_until=None)
                )
                session.commit()

    # -- the loop ------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim what is due and deliver it (on this thread); how many webhooks were served."""
        ids = self.claim(self.threads)
        for webhook_id in ids:
            self.handle(webhook_id)
        return len(ids)

    def run(self) -> None:
        """Until `stop`: claim as many webhooks as there are idle threads, deliver each on its
        own thread."""
        busy: set[uuid.UUID] = set()
        lock = threading.Lock()

        def serve(webhook_id: uuid.UUID) -> None:
            try:
                self.handle(webhook_id)
            finally:
                with lock:
                    busy.discard(webhook_id)

        with ThreadPoolExecutor(self.threads, thread_name_prefix="legwork-webhook") as pool:
            while not self.stop.is_set():
                with lock:
                    free = self.threads - len(busy)
                ids: list[uuid.UUID] = []
                if free > 0:
                    try:
                        ids = self.claim(free)
                    except Exception:
                        log.exception("webhooks: claiming failed")
                for webhook_id in ids:
                    with lock:
                        busy.add(webhook_id)
                    pool.submit(serve, webhook_id)
                if not ids:
                    self.stop.wait(self.poll_s)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="legwork-webhooks", daemon=True)
        thread.start()
        return thread

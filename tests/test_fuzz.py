"""schemathesis against the app's own OpenAPI: every operation, authenticated, on a real database.

No answer may be a 5xx, and every answer must match its documented status, content type,
headers and schema. Stateful runs follow the links schemathesis infers (Location headers, ids).
"""

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from app.athletes.models import Athlete
from app.auth.models import Account, ApiToken
from app.auth.service import create_account, hash_token
from app.config import Settings
from app.custom_exercises.models import CustomExercise
from app.db import database_sessions
from app.idempotency.models import IdempotencyRecord
from app.main import create_app

FUZZER = "Fuzzer"
EXAMPLES = int(os.environ.get("LEGWORK_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    ignored_auth,
    unsupported_method,
    allow_header_conformance,
    use_after_free,
]


APP = create_app(Settings(rate_limit_token="1000000/minute", rate_limit_public="1000000/minute"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def token(engine: Engine) -> str:
    """The app on the test database, committing for real; a token of a fresh account."""
    APP.state.sessions = database_sessions(engine.url.render_as_string(hide_password=False))
    with Session(engine, expire_on_commit=False) as s:
        _, secret = create_account(s, FUZZER)
        s.commit()
    return secret


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation(case: schemathesis.Case[Any], token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def _reset(engine: Engine, token: str) -> None:
    """Back to the fuzzer's account with its one token, so every sequence starts alike."""
    digest = hash_token(token)
    with engine.begin() as conn:
        for table in (IdempotencyRecord, CustomExercise, Athlete):
            conn.execute(delete(table))
        conn.execute(delete(ApiToken).where(col(ApiToken.token_hash) != digest))
    with Session(engine) as s:
        if s.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first() is None:
            # The last sequence revoked the fuzzer's own token: give it back.
            account = s.exec(select(Account).where(Account.name == FUZZER)).one()
            s.add(ApiToken(account_id=account.id, token_hash=digest, scopes="read write"))
            s.commit()


def test_stateful_sequences(engine: Engine, token: str) -> None:
    """Chains of calls along the links schemathesis infers (create → read → update → delete)."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            _reset(engine, token)

        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, object]:
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(
            self, response: object, case: schemathesis.Case[Any], **kwargs: object
        ) -> None:
            # Unknown query parameters are ignored, as HTTP APIs do; no negative-data check here.
            checks = [c for c in CHECKS if c is not negative_data_rejection]
            case.validate_response(response, checks=checks)

    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES * 2,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )

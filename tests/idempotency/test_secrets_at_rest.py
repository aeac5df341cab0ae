"""A copy of the database yields no working secret: not the token an answer carried, not the
Idempotency-Key that would replay it. Checked on a real, committed database of each backend."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.auth.service import create_account
from app.cli import migrate_to_head
from app.db import database_sessions, get_engine
from app.main import create_app
from tests.conftest import BACKENDS
from tests.databases import TemporaryDatabase

KEY = "3f1c9a52-6d0e-4b7a-9a51-2c8e0f1d7b64"


def _stored_bytes(url: str) -> bytes:
    """Everything the database holds: the SQLite file and its WAL as they lie on disk; on
    PostgreSQL every value of every table, as the server returns it (bytea raw, text UTF-8)."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite":
        assert parsed.database is not None
        files = [Path(parsed.database), Path(parsed.database + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    engine = create_engine(url)
    chunks: list[bytes] = []
    try:
        with engine.connect() as connection:
            for name in inspect(connection).get_table_names():
                rows = connection.execute(select(text("*")).select_from(table(name)))
                for row in rows:
                    for value in row:
                        chunks.append(value if isinstance(value, bytes) else str(value).encode())
    finally:
        engine.dispose()
    return b"\n".join(chunks)


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_a_keyed_token_creation_leaves_no_secret_in_the_database(
    empty_database: TemporaryDatabase,
) -> None:
    url = empty_database.url
    migrate_to_head(url)
    with Session(get_engine(url)) as session:
        _, first_token = create_account(session, "Dump Check")
        session.commit()
    app = create_app()
    app.state.sessions = database_sessions(url)
    headers = {"Authorization": f"Bearer {first_token}", "Idempotency-Key": KEY}
    with TestClient(app) as client:
        created = client.post("/v1/tokens", json={"scopes": ["read"]}, headers=headers)
        assert created.status_code == 201, created.text
        secret = created.json()["token"]
        replayed = client.post("/v1/tokens", json={"scopes": ["read"]}, headers=headers)
        assert replayed.headers.get("idempotent-replayed") == "true"
        assert replayed.json()["token"] == secret, "the key's holder still gets its answer"
        assert client.get("/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).is_success
    get_engine(url).dispose()

    stored = _stored_bytes(url)
    assert b"Dump Check" in stored, "the scan must see the stored rows"
    for leak in (secret, secret.removeprefix("lw_"), first_token, KEY):
        assert leak.encode() not in stored, f"{leak[:6]}… is stored in plaintext"

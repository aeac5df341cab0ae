from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import ApiToken
from app.auth.service import hash_token
from app.enums import Scope
from tests.factories import Caller, athlete_body, make_caller


def test_missing_token_is_401_with_challenge(client: TestClient) -> None:
    r = client.get("/v1/athletes")
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.headers["content-type"] == "application/problem+json"


def test_unknown_and_malformed_tokens_are_401(client: TestClient) -> None:
    for header in ("Bearer lw_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "lw_abc"):
        r = client.get("/v1/athletes", headers={"Authorization": header})
        assert r.status_code == 401, (header, r.text)


def test_tokens_are_stored_only_as_hashes(session: Session, alice: Caller) -> None:
    stored = session.exec(select(ApiToken).where(ApiToken.account_id == alice.account.id)).one()
    assert stored.token_hash == hash_token(alice.token)
    assert alice.token not in stored.token_hash
    assert len(alice.token) >= len("lw_") + 43  # 32 random bytes, base64url


def test_create_list_and_revoke_tokens(client: TestClient, alice: Caller) -> None:
    r = client.post("/v1/tokens", json={"name": "watch", "scopes": ["read"]}, headers=alice.headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["scopes"] == ["read"]
    assert created["name"] == "watch"
    assert created["token"].startswith("lw_")
    reader = {"Authorization": f"Bearer {created['token']}"}

    assert client.get("/v1/athletes", headers=reader).status_code == 200

    r = client.get("/v1/tokens", headers=alice.headers)
    assert r.status_code == 200, r.text
    listed = r.json()["items"]
    assert {t["id"] for t in listed} >= {created["id"]}
    assert all("token" not in t for t in listed)
    assert any(t["last_used_at"] is not None for t in listed)

    r = client.delete(f"/v1/tokens/{created['id']}", headers=alice.headers)
    assert r.status_code == 204, r.text
    assert client.get("/v1/athletes", headers=reader).status_code == 401


def test_read_only_token_cannot_write(client: TestClient, session: Session) -> None:
    reader = make_caller(session, scopes=frozenset({Scope.read}))
    r = client.post("/v1/athletes", json=athlete_body(), headers=reader.headers)
    assert r.status_code == 403, r.text
    assert "write" in r.json()["detail"]
    r = client.post("/v1/tokens", json={"scopes": ["read"]}, headers=reader.headers)
    assert r.status_code == 403, r.text


def test_token_cannot_grant_more_than_its_own_scopes(client: TestClient, session: Session) -> None:
    writer = make_caller(session, scopes=frozenset({Scope.write}))
    r = client.post("/v1/tokens", json={"scopes": ["read", "write"]}, headers=writer.headers)
    assert r.status_code == 403, r.text
    assert "read" in r.json()["detail"]


def test_token_body_is_validated(client: TestClient, alice: Caller) -> None:
    for body, field in (
        ({"scopes": []}, "scopes"),
        ({"scopes": ["admin"]}, "scopes[0]"),
        ({"scopes": ["read"], "expires": 3}, "expires"),
        ({}, "scopes"),
    ):
        r = client.post("/v1/tokens", json=body, headers=alice.headers)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field


def test_cannot_revoke_another_accounts_token(
    client: TestClient, alice: Caller, bob: Caller
) -> None:
    r = client.get("/v1/tokens", headers=bob.headers)
    bobs_token = r.json()["items"][0]["id"]
    r = client.delete(f"/v1/tokens/{bobs_token}", headers=alice.headers)
    assert r.status_code == 404, r.text
    assert client.get("/v1/tokens", headers=bob.headers).status_code == 200


def test_token_list_paginates(client: TestClient, alice: Caller) -> None:
    for _ in range(4):
        assert client.post(
            "/v1/tokens", json={"scopes": ["read"]}, headers=alice.headers
        ).is_success
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/tokens", params=params, headers=alice.headers).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5

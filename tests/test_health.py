from fastapi.testclient import TestClient


def test_healthz_answers_without_a_database() -> None:
    from app.main import create_app

    r = TestClient(create_app()).get("/healthz")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok"}


def test_readyz_checks_the_database(client: TestClient) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok"}


def test_unknown_path_is_a_problem(client: TestClient) -> None:
    r = client.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 404

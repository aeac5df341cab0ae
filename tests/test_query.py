"""Unknown query parameters are a 422 naming them; the documented ones still work."""

from fastapi.testclient import TestClient

from app.main import create_app


def test_an_unknown_query_parameter_is_a_422_naming_it() -> None:
    client = TestClient(create_app())
    r = client.get("/v1/exercises", params={"limit": 2, "form": "csv"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "form"
    assert "limit" in r.json()["errors"][0]["message"]
    assert client.get("/v1/exercises", params={"limit": 2}).status_code == 200
    # The docs pages are not API operations: their own parameters pass.
    assert client.get("/docs", params={"anything": 1}).status_code == 200

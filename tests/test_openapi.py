import json
import re
from typing import Any

from app.cli import OPENAPI_PATH, render_openapi
from app.main import create_app


def test_checked_in_document_is_what_the_app_serves() -> None:
    served = create_app().openapi()
    assert OPENAPI_PATH.read_text() == render_openapi(served), (
        "openapi/openapi.json is stale: run `legwork openapi`"
    )


def test_operation_ids_are_stable_and_unique() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*-[a-z]+", operation_id), operation_id


def test_every_error_is_documented_as_problem_json() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


def test_protected_operations_declare_bearer_auth() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if path.startswith(("/v1/athletes", "/v1/tokens", "/v1/exercises/custom")):
                assert operation.get("security") == [{"HTTPBearer": []}], (method, path)
                assert "401" in operation["responses"], (method, path)


def test_every_schema_property_is_described() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    undescribed = [
        f"{name}.{field}"
        for name, schema in document["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
        if not str(spec.get("description", "")).strip()
    ]
    assert not undescribed, f"properties without a description: {', '.join(undescribed)}"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(OPENAPI_PATH.read_text())
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_document_names_servers_license_and_described_tags() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    assert document["servers"][0]["url"] == "/"  # Try it out talks to the serving server
    assert document["info"]["license"]["identifier"] == "MIT"
    tags = {tag["name"] for tag in document["tags"] if tag["description"]}
    assert {tag for _, _, op in _operations() for tag in op["tags"]} <= tags


def test_public_operations_say_security_is_empty_and_every_operation_has_a_4xx() -> None:
    for path, method, operation in _operations():
        assert "security" in operation, (method, path)
        assert any(status.startswith("4") for status in operation["responses"]), (method, path)
        assert operation.get("description"), (method, path)


def test_every_response_declares_a_schema_for_each_media_type() -> None:
    media_types = set()
    for path, method, operation in _operations():
        for status, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                media_types.add(media_type)
                assert "schema" in content, (method, path, status, media_type)
    assert {"text/csv", "image/svg+xml", "text/calendar", "text/plain"} <= media_types


def test_every_request_body_has_an_example_and_headers_are_declared() -> None:
    for path, method, operation in _operations():
        if "requestBody" in operation:
            media = operation["requestBody"]["content"].values()
            assert any("example" in m for m in media), path
        for status, response in operation["responses"].items():
            assert "X-Request-ID" in response["headers"], (method, path, status)
            if path not in ("/healthz", "/readyz", "/metrics"):
                assert "RateLimit-Remaining" in response["headers"], (method, path, status)
            if status == "201" and operation["operationId"] != "tokens-create":
                assert "ETag" in response["headers"] or "Location" in response["headers"]
            if method == "post" and operation["security"] and status.startswith("2"):
                assert "Idempotent-Replayed" in response["headers"], (method, path)


def test_schema_states_the_rules_the_server_enforces() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    schemas = document["components"]["schemas"]
    equipment = schemas["AthleteCreate"]["properties"]["equipment"]
    assert equipment["uniqueItems"] is True
    excluded = schemas["GenerationRequest"]["properties"]["exclude_exercises"]["items"]
    assert excluded["minLength"] == 1
    progress = document["paths"]["/v1/athletes/{athlete_id}/progress"]["get"]
    date_from = next(p for p in progress["parameters"] if p["name"] == "from")
    assert "3,660 days" in date_from["description"]
    # SDK generators name enum members from these, not from the values (`5k`).
    assert schemas["Event"]["x-enum-varnames"][2:4] == ["FIVE_K", "TEN_K"]
    # A model named like its nullable field fails `mypy --strict` in openapi-python-client's code.
    assert "Asymmetry" not in schemas
    assert "asymmetry" in schemas["ExerciseAsymmetry"]["properties"]

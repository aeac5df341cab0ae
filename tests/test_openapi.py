import json
import re

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

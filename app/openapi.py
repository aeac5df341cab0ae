"""The OpenAPI document: FastAPI's, plus what middleware and handlers add to every route; and
the way in to its pages (`/` → `/docs`)."""

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse

from app.errors import Problem, problem_responses
from app.idempotency.middleware import HEADER as IDEMPOTENCY_HEADER
from app.limits import UNLIMITED_PATHS

IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the same key with the same body answers the first response "
        "again (with `Idempotent-Replayed: true`) and creates nothing; with another body it is "
        "a 422; while the first request runs, a 409. Keys are per account and kept ≥ 24 h."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}
RATE_LIMIT_HEADERS = {
    name: {"description": text, "schema": {"type": "integer"}}
    for name, text in (
        ("RateLimit-Limit", "Requests allowed in the window."),
        ("RateLimit-Remaining", "Requests left in the window."),
        ("RateLimit-Reset", "Seconds until the window frees up."),
    )
}


router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    """A browser pointed at the server lands on the API docs."""
    return RedirectResponse("/docs")


def _problem(status: int) -> dict[str, Any]:
    return dict(problem_responses(status)[status])


def _augment(document: dict[str, Any]) -> None:
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if path not in UNLIMITED_PATHS:
                too_many = _problem(429)
                too_many["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait.",
                        "schema": {"type": "integer"},
                    },
                    **RATE_LIMIT_HEADERS,
                }
                responses.setdefault("429", too_many)
            if "requestBody" in operation:
                undecodable = _problem(400)
                undecodable["description"] = "The body is not decodable (not UTF-8 JSON)."
                responses.setdefault("400", undecodable)
                responses.setdefault("413", _problem(413))
            if operation.get("security"):
                busy = _problem(503)
                busy["description"] = "The database could not take the request in time; "
                busy["description"] += "nothing was stored. Retry after `Retry-After` seconds."
                busy["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait.",
                        "schema": {"type": "integer"},
                    }
                }
                responses.setdefault("503", busy)
            if method == "post" and operation.get("security"):
                operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
                responses.setdefault("409", _problem(409))
                responses.setdefault("422", _problem(422))
            operation["responses"] = dict(sorted(responses.items()))


def customise_openapi(app: FastAPI) -> None:
    """Document the Problem schema and the statuses and headers every route may answer."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            _augment(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

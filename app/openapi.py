"""The OpenAPI document: FastAPI's, plus what middleware and handlers add to every route; and
the way in to its pages (`/` → `/docs`)."""

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse

from app import enums
from app.errors import Problem, problem_responses
from app.idempotency.middleware import HEADER as IDEMPOTENCY_HEADER
from app.limits import UNLIMITED_PATHS

# Relative first: Swagger UI's "Try it out" and SDKs given no base URL talk to the server that
# served the document.
SERVERS = [
    {"url": "/", "description": "The server that serves this document."},
    {"url": "http://127.0.0.1:8000", "description": "`make run` on your machine."},
]
LICENSE = {"name": "MIT", "identifier": "MIT"}
CONTACT = {"name": "Legwork maintainers", "url": "https://github.com/legwork/legwork"}
TAGS = {
    "health": "Liveness and readiness probes, for orchestrators.",
    "operations": "Prometheus metrics, for operators.",
    "routines": "Generate one balanced leg-strength session (public, stateless).",
    "plans": "Generate a periodised plan to race day (public); store one for an athlete.",
    "tokens": "Bearer tokens of the caller's account.",
    "athletes": "Runners coached by the account.",
    "workouts": "Logged strength sessions, with their sets.",
    "links": "Read-only share links to an athlete's calendar or chart.",
    "goals": "Targets measured from the logs.",
    "progress": "Volume, e1RM, training load and balance from the logs (JSON, CSV, SVG).",
    "custom-exercises": "The account's own exercises, beside the catalog.",
    "exercises": "The exercise catalog.",
    "changes": "Every change to the account's data, in commit order (offline sync).",
    "webhooks": "Signed POSTs to your URL when the account's data changes.",
    "imports": "Strong, Hevy and Legwork files in; an athlete's logs out.",
}
# Response headers, described once in components/headers and referenced where they are sent.
HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id: the caller's `X-Request-ID` when sane, else a new "
        "one. It names the request in the server's logs.",
        "schema": {"type": "string", "maxLength": 128},
    },
    "ETag": {
        "description": "The representation's version; send it as `If-Match` to change the "
        "resource, or `If-None-Match` to get a 304 when it has not changed.",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "The URL of the resource just created.",
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this answer is the stored answer to an earlier request "
        "with the same `Idempotency-Key`.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "RateLimit-Limit": {
        "description": "Requests allowed in the window.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the window.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window frees up.",
        "schema": {"type": "integer"},
    },
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}},
}
RATE_LIMIT_NAMES = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
# 201s whose route does not send Location (a token is not addressable; a stored plan has one
# URL, the one it was PUT to).
NO_LOCATION = frozenset({"tokens-create", "plans-put"})
# Operations whose 200/201 carries an ETag (tests/test_openapi.py checks each against the app).
ETAG_OPERATIONS = frozenset(
    {
        *("athletes-create", "athletes-get", "athletes-update"),
        *("workouts-create", "workouts-get", "workouts-replace", "workouts-update"),
        *("plans-put", "plans-get", "plans-calendar", "links-read"),
        *("goals-create", "goals-get", "goals-update"),
        *("progress-get", "progress-csv", "progress-exercise", "progress-chart"),
        *("progress-load-series", "progress-load-series-csv"),
        "exercises-get",
    }
)
# Request-body examples are made of the fields' examples, but for fields that name another
# resource (a stored plan's session), and bodies whose fields' examples do not go together.
EXAMPLE_SKIPS = frozenset({"planned_session"})
BODY_EXAMPLES: dict[str, Any] = {
    "links-create": {"resource": "plan.ics", "expires_at": "2027-06-01T00:00:00Z"},
}

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


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    """A browser pointed at the server lands on the API docs."""
    return RedirectResponse("/docs")


def _problem(status: int) -> dict[str, Any]:
    return dict(problem_responses(status)[status])


def _augment(document: dict[str, Any]) -> None:
    document["servers"] = SERVERS
    document["info"]["license"] = LICENSE
    document["info"]["contact"] = CONTACT
    document["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
    components = document.setdefault("components", {})
    components["headers"] = HEADERS
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = components.setdefault("schemas", {})
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    _name_enum_members(schemas)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            _augment_operation(path, method, operation)
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json")
            if body is None or any("example" in media for media in content.values()):
                continue  # an import's file: its CSV has the example
            example = BODY_EXAMPLES.get(operation["operationId"])
            body["example"] = example or _example(body["schema"], schemas)


def _example(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """An example of `schema` made of its fields' own examples (each field has one)."""
    if "examples" in schema:
        return schema["examples"][0]
    if "$ref" in schema:
        return _example(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas)
    if schema.get("type") == "array":
        return [_example(schema["items"], schemas)]
    if "properties" in schema:
        example = {}
        for name, field in schema["properties"].items():
            if name in EXAMPLE_SKIPS:
                continue
            if "examples" in field or name in schema.get("required", ()) or "$ref" in field:
                example[name] = _example(field, schemas)
        return example
    if "anyOf" in schema:
        chosen = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return _example(chosen, schemas)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    raise ValueError(f"no example for {schema}")


def _augment_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    secured = bool(operation.get("security"))
    limited = path not in UNLIMITED_PATHS
    if not secured:
        operation["security"] = []  # public: no token needed
    if limited:
        too_many = _problem(429)
        too_many["headers"] = {"Retry-After": _ref("Retry-After")} | {
            name: _ref(name) for name in RATE_LIMIT_NAMES
        }
        responses.setdefault("429", too_many)
    if "requestBody" in operation:
        undecodable = _problem(400)
        undecodable["description"] = "The body is not decodable (not UTF-8 JSON)."
        responses.setdefault("400", undecodable)
        responses.setdefault("413", _problem(413))
    if secured:
        busy = _problem(503)
        busy["description"] = "The database could not take the request in time; "
        busy["description"] += "nothing was stored. Retry after `Retry-After` seconds."
        busy["headers"] = {"Retry-After": _ref("Retry-After")}
        responses.setdefault("503", busy)
    keyed = method == "post" and secured
    if keyed:
        operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
        responses.setdefault("409", _problem(409))
    unknown_query = _problem(422)
    unknown_query["description"] = "A query parameter is unknown or invalid."
    responses.setdefault("422", unknown_query)  # every operation refuses unknown parameters
    for status in list(responses):
        response = responses[status] = dict(responses[status])  # FastAPI may share them
        headers = dict(response.get("headers", {}))
        headers["X-Request-ID"] = _ref("X-Request-ID")
        if limited:
            headers.update({name: _ref(name) for name in RATE_LIMIT_NAMES})
        if status in ("200", "201") and operation["operationId"] in ETAG_OPERATIONS:
            headers["ETag"] = _ref("ETag")
        if status == "201" and operation["operationId"] not in NO_LOCATION:
            headers["Location"] = _ref("Location")
        if keyed and status.startswith("2"):
            headers["Idempotent-Replayed"] = _ref("Idempotent-Replayed")
        response["headers"] = dict(sorted(headers.items()))
    operation["responses"] = dict(sorted(responses.items()))


def _name_enum_members(schemas: dict[str, Any]) -> None:
    """`x-enum-varnames` from our enums' member names: SDK generators otherwise name members
    after values, and `5k` becomes `VALUE_2`."""
    for name, schema in schemas.items():
        enum = getattr(enums, name, None)
        if isinstance(enum, type) and issubclass(enum, StrEnum) and "enum" in schema:
            by_value = {member.value: member.name.upper() for member in enum}
            schema["x-enum-varnames"] = [by_value[value] for value in schema["enum"]]


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

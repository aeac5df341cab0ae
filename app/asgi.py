"""Small helpers for the pure ASGI middlewares: header lookup and problem responses."""

from starlette.types import Scope, Send

from app.errors import PROBLEM_JSON, ProblemError


def header(scope: Scope, name: bytes) -> str | None:
    """A request header's value (latin-1), or None."""
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def bearer_token(scope: Scope) -> str | None:
    value = header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def send_problem(send: Send, error: ProblemError) -> None:
    """Answer with `error`'s problem+json from a middleware, before the app has been called:
    the same body, byte for byte in its layout, as the exception handlers write."""
    body = error.to_problem().model_dump_json(exclude_none=True).encode()
    raw_headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in (error.headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})

"""Logs an operator can use: JSON lines (or text at a terminal) that carry the request id and the
caller's account id, never a token, a body or a raw path (share links hold secrets in theirs).

`configure_logging(settings)` installs one handler on the `app` logger, under which every module
logs (`logging.getLogger(__name__)`); `app.access` is the access log, one line per request,
written by `app.observability`. The request being served is `current_request()`, a context
variable, so any log line written while it runs — in a route, a dependency, a worker thread —
names it.
"""

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO
from uuid import UUID

ACCESS_LOGGER = "app.access"
# LogRecord attributes that are not fields of ours: everything else given in `extra` is one.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


class RequestContext:
    """What the logs say about the request being served."""

    __slots__ = ("account_id", "request_id")

    def __init__(self, request_id: str) -> None:
        self.request_id = request_id
        self.account_id: UUID | None = None


_CURRENT: ContextVar[RequestContext | None] = ContextVar("legwork_request", default=None)


def begin_request(request_id: str) -> RequestContext:
    """The request served from here on in this context (a task, and the threads it starts)."""
    context = RequestContext(request_id)
    _CURRENT.set(context)
    return context


def current_request() -> RequestContext | None:
    return _CURRENT.get()


def note_account(account_id: UUID) -> None:
    """The caller is `account_id` (its token checked): the request's log lines say so."""
    context = _CURRENT.get()
    if context is not None:
        context.account_id = account_id


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The request's ids, then the record's own `extra` fields."""
    fields: dict[str, Any] = {}
    context = _CURRENT.get()
    if context is not None:
        fields["request_id"] = context.request_id
        if context.account_id is not None:
            fields["account_id"] = str(context.account_id)
    for key, value in record.__dict__.items():
        if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
            fields[key] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's ids, the record's
    `extra` fields, and the traceback of an error as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False, separators=(",", ":"))


class TextFormatter(logging.Formatter):
    """`time level logger: message key=value …` for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        if not fields:
            return text
        head, newline, tail = text.partition("\n")  # the traceback stays below
        return f"{head} {fields}{newline}{tail}"


def log_format(configured: str | None, stream: TextIO) -> str:
    """`json` or `text`: as configured, else text at a terminal and JSON everywhere else."""
    if configured:
        return configured
    return "text" if stream.isatty() else "json"


def configure_logging(level: str, configured_format: str | None, stream: TextIO | None) -> None:
    """One handler on the `app` logger (again: replaced, not added twice)."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.set_name("legwork")
    json_lines = log_format(configured_format, stream) == "json"
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logger = logging.getLogger("app")
    for old in [h for h in logger.handlers if h.get_name() == "legwork"]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "trace" else level.upper())
    # Records still propagate: the root logger has no handler unless someone adds one (pytest's
    # caplog does, and sees them).

"""tests/servers.py reads the exceptions a server logged, whatever they are called."""

import traceback

from hypothesis import given
from hypothesis import strategies as st

from tests.servers import raised

NAMES = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,20}", fullmatch=True)
MESSAGES = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


def _logged(exc: BaseException) -> str:
    return "INFO: a line before\n" + "".join(traceback.format_exception(exc)) + "INFO: after\n"


@given(name=NAMES, message=MESSAGES)
def test_any_exception_is_found_by_its_name(name: str, message: str) -> None:
    kind = type(name, (Exception,), {"__module__": "app.db"})
    try:
        raise kind(message)
    except Exception as exc:
        text = _logged(exc)
    line = f"app.db.{name}: {message}" if message else f"app.db.{name}"
    assert raised(text) == [line[:300]]


def test_each_exception_of_a_chain_is_found_in_order() -> None:
    try:
        empty: dict[str, int] = {}
        try:
            empty["missing"]
        except KeyError as first:
            raise RuntimeError("while handling") from first
    except RuntimeError as exc:
        text = _logged(exc)
    assert raised(text) == ["KeyError: 'missing'", "RuntimeError: while handling"]


def test_a_log_without_a_traceback_has_no_exception() -> None:
    assert raised("ERROR: Exception in ASGI application, said nothing more\nValueError: x\n") == []

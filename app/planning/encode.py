"""A plan's JSON, byte for byte what `Plan`'s own serialiser writes, in a fraction of the time.

A 24-week plan holds ~500 prescriptions but only ~80 distinct ones: weeks repeat their
sessions, and the renderer hands the same `Prescription` object to every session that shows
it (app.planning.render). pydantic-core would serialise each of them every time it appears
(~1 KB each, reading every enum's `.value` through Python); here each distinct prescription and
each distinct list of them is serialised once and the bytes are spliced into the week and the
session around them. Compact JSON has no whitespace to differ, and a field's bytes do not
depend on where they sit, so splicing gives the same bytes (tests/planning/test_encode.py
compares them with the model's serialiser on every pinned request)."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from app.planning.schemas import Plan, Prescription, Session, Week

M = TypeVar("M", bound=BaseModel)


class _Splice:
    """A model of `model` around `field`: the model's serialiser writes every other field, and
    the JSON is split where `field`'s key and value belong."""

    def __init__(self, model: type[BaseModel], field: str) -> None:
        names = list(model.model_fields)
        position = names.index(field)
        self.serializer = model.__pydantic_serializer__
        self.field = field
        self.key = f'"{field}":'.encode()
        # Where `field` goes in the JSON of the other fields: before the first `,"next":`, the
        # key that follows it. In compact JSON that cannot occur inside a string (a quote there
        # is `\"`), and no field before `field` holds an object with that key.
        self.first = position == 0
        self.last = position == len(names) - 1
        self.next_key = b"" if self.last else f',"{names[position + 1]}":'.encode()

    def split(self, model: BaseModel) -> tuple[bytes, bytes]:
        """(the JSON up to `field`'s value, its key included; the JSON after it)."""
        rest = self.serializer.to_json(model, exclude={self.field})
        if self.first:
            return b"{" + self.key, b"}" if rest == b"{}" else b"," + rest[1:]
        if self.last:
            return rest[:-1] + b"," + self.key, b"}"
        at = rest.index(self.next_key)
        return rest[:at] + b"," + self.key, rest[at:]


_WEEK = _Splice(Week, "sessions")
_SESSION = _Splice(Session, "exercises")
_PLAN = _Splice(Plan, "weeks")
_PRESCRIPTION = Prescription.__pydantic_serializer__


class _Encoder:
    """One plan's JSON, as a list of pieces joined once at the end (each level joining its own
    would copy the 500 KB again): the bytes of each distinct prescription and list of them are
    made once, found by the identity of the objects (alive as long as the plan being written)."""

    def __init__(self) -> None:
        self.out: list[bytes] = []
        self.prescriptions: dict[int, bytes] = {}
        self.lists: dict[tuple[int, ...], bytes] = {}

    def prescription(self, p: Prescription) -> bytes:
        found = self.prescriptions.get(id(p))
        if found is None:
            found = self.prescriptions[id(p)] = _PRESCRIPTION.to_json(p)
        return found

    def exercises(self, exercises: Sequence[Prescription]) -> bytes:
        key = tuple(map(id, exercises))
        found = self.lists.get(key)
        if found is None:
            found = b"[" + b",".join(map(self.prescription, exercises)) + b"]"
            self.lists[key] = found
        return found

    def array(self, models: Sequence[M], write: Callable[[M], None]) -> None:
        out = self.out
        out.append(b"[")
        for n, model in enumerate(models):
            if n:
                out.append(b",")
            write(model)
        out.append(b"]")

    def session(self, session: Session) -> None:
        head, tail = _SESSION.split(session)
        self.out += (head, self.exercises(session.exercises), tail)

    def week(self, week: Week) -> None:
        head, tail = _WEEK.split(week)
        self.out.append(head)
        self.array(week.sessions, self.session)
        self.out.append(tail)


def plan_json(plan: Plan) -> bytes:
    """The plan as `Plan.__pydantic_serializer__.to_json(plan)` writes it."""
    encoder = _Encoder()
    head, tail = _PLAN.split(plan)
    encoder.out.append(head)
    encoder.array(plan.weeks, encoder.week)
    encoder.out.append(tail)
    return b"".join(encoder.out)

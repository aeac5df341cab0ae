"""A plan's JSON, byte for byte what `Plan`'s own serialiser writes, in a fraction of the time.

A 24-week plan holds ~500 prescriptions but only ~80 distinct ones: weeks repeat their
sessions, and the renderer hands the same `Prescription` object to every session that shows
it (app.planning.render); every session's warm-up is made of the same few shared drills
(app.planning.warmup). pydantic-core would serialise each of them every time it appears
(~1 KB a prescription, reading every enum's `.value` through Python). Here the plan is
serialised once without any session's warm-up and exercises, each distinct prescription, drill
and list of them once, and the lists are spliced into each session, before its `notes`.
Compact JSON has no whitespace to differ, and a field's bytes do not depend on where they sit,
so splicing gives the same bytes (tests/planning/test_encode.py compares them with the
model's serialiser on every pinned request)."""

from collections.abc import Sequence

from pydantic import BaseModel
from pydantic_core import SchemaSerializer

from app.planning.schemas import Plan, Prescription, Session, WarmupDrill

_PLAN = Plan.__pydantic_serializer__
_PRESCRIPTION = Prescription.__pydantic_serializer__
_DRILL = WarmupDrill.__pydantic_serializer__

# A session's `warmup` and `exercises` are consecutive fields, followed by `notes`: they go
# before the session's `,"notes":`. In compact JSON that cannot occur inside a string (a quote
# there is `\"`), and no other object in a plan without them has a key "notes"; so the n-th
# occurrence in the plan's JSON is the n-th session's.
_FIELDS = list(Session.model_fields)
_AT = _FIELDS.index("warmup")
assert _FIELDS[_AT : _AT + 3] == ["warmup", "exercises", "notes"], "Session's field order"
_NOTES = b',"notes":'
_WITHOUT = {"weeks": {"__all__": {"sessions": {"__all__": {"warmup", "exercises"}}}}}


class _Lists:
    """The JSON arrays of one plan's lists of models: each distinct model and list of them
    serialised once, found by the identity of the objects (alive as long as the plan being
    written)."""

    def __init__(self) -> None:
        self.items: dict[int, bytes] = {}
        self.lists: dict[tuple[int, ...], bytes] = {}

    def json(self, items: Sequence[BaseModel], serializer: SchemaSerializer) -> bytes:
        """The JSON array of `items`, all of the model whose serialiser is `serializer`."""
        key = tuple(map(id, items))
        found = self.lists.get(key)
        if found is None:
            each = self.items
            parts = []
            for item in items:
                part = each.get(id(item))
                if part is None:
                    part = each[id(item)] = serializer.to_json(item)
                parts.append(part)
            found = self.lists[key] = b"[" + b",".join(parts) + b"]"
        return found


def plan_json(plan: Plan) -> bytes:
    """The plan as `Plan.__pydantic_serializer__.to_json(plan)` writes it."""
    rest = _PLAN.to_json(plan, exclude=_WITHOUT)
    lists = _Lists()
    # Pieces joined once at the end: joining each level's own would copy the 500 KB again.
    out: list[bytes] = []
    at = 0  # where the JSON not yet written starts
    for week in plan.weeks:
        for session in week.sessions:
            notes = rest.index(_NOTES, at + 1)
            out += (
                rest[at:notes],
                b',"warmup":',
                lists.json(session.warmup, _DRILL),
                b',"exercises":',
                lists.json(session.exercises, _PRESCRIPTION),
            )
            at = notes
    out.append(rest[at:])
    return b"".join(out)

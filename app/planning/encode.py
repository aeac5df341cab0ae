"""A plan's JSON, byte for byte what `Plan`'s own serialiser writes, in a fraction of the time.

A 24-week plan holds ~500 prescriptions but only ~80 distinct ones: weeks repeat their
sessions, and the renderer hands the same `Prescription` object to every session that shows
it (app.planning.render); every session's warm-up is made of the same few shared drills
(app.planning.warmup). pydantic-core would serialise each of them every time it appears
(~1 KB a prescription, reading every enum's `.value` through Python). Here the plan is
serialised once without any session's warm-up and exercises, each distinct prescription, drill
and list of them once (and kept for the next plans, which share them: `_Lists`), and the lists
are spliced into each session, before its `notes`.
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
    """The JSON arrays of lists of models: each distinct model and list of them serialised
    once, found by the identity of the objects, which an entry holds (so that no other object
    takes its id while it is kept). Models are never changed once made (app.planning.render),
    and a plan's context hands the same prescriptions to every plan made with it: kept across
    plans, the second plan of a context serialises almost none (a 24-week plan's JSON 0.58 →
    0.3 ms of CPU)."""

    def __init__(self) -> None:
        self.items: dict[int, tuple[BaseModel, bytes]] = {}
        self.lists: dict[tuple[int, ...], tuple[Sequence[BaseModel], bytes]] = {}

    def json(self, items: Sequence[BaseModel], serializer: SchemaSerializer) -> bytes:
        """The JSON array of `items`, all of the model whose serialiser is `serializer`."""
        key = tuple(map(id, items))
        found = self.lists.get(key)
        if found is None:
            each = self.items
            parts = []
            for item in items:
                kept = each.get(id(item))
                if kept is None:
                    kept = each[id(item)] = (item, serializer.to_json(item))
                parts.append(kept[1])
            found = self.lists[key] = (tuple(items), b"[" + b",".join(parts) + b"]")
        return found[1]

    def bound(self) -> None:
        """Forget everything once it holds more than a few plans' worth."""
        if len(self.items) > ITEMS_MAX or len(self.lists) > LISTS_MAX:
            self.items.clear()
            self.lists.clear()


# A 24-week plan has ~80 distinct prescriptions (~1 KB of JSON each, the model kept alive
# with it) and ~35 distinct lists (a session's exercises: ~7 KB): a few hundred plans' worth
# of prescriptions, a dozen plans' lists: ~7 MB at most (measured, 400 plans of 200 contexts).
ITEMS_MAX = 2048
LISTS_MAX = 512
_KEPT = _Lists()


def plan_json(plan: Plan) -> bytes:
    """The plan as `Plan.__pydantic_serializer__.to_json(plan)` writes it."""
    rest = _PLAN.to_json(plan, exclude=_WITHOUT)
    lists = _KEPT
    lists.bound()
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

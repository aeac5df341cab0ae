"""An import reaches into three rooms: custom exercises for unknown names, workouts (with their
rollups) for what the file holds, and the import fingerprints that make it exactly-once.

Workouts are written in batches as the file is read, so memory stays bounded whatever its
size; all of it is one transaction (the request's, or the command's), so a malformed line
anywhere stores nothing."""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.athletes.models import Athlete
from app.catalog.service import get_catalog
from app.changes.service import Changed, Kind, Op, record
from app.custom_exercises import service as custom_exercises
from app.errors import Conflict, FieldError, InvalidInput, field_path
from app.etags import etag_of
from app.goals import service as goals
from app.goals.schemas import GoalIn
from app.imports import names, parser
from app.imports import service as fingerprints
from app.imports.parser import Header, ParsedSet, ParsedWorkout, Warnings
from app.imports.schemas import (
    ExportedGoal,
    ExportedPlan,
    ExportedWorkout,
    ImportResult,
    LegworkExport,
)
from app.plans import service as plans
from app.plans.models import StoredPlan
from app.webhooks.schemas import EventType
from app.workouts import service as workouts
from app.workouts.schemas import WorkoutIn, WorkoutSetIn

BATCH = 500  # workouts written per statement set; memory holds one batch


class _Exercises:
    """Names → slugs for one import: the catalog, else the account's custom exercises, else a
    custom exercise made now."""

    def __init__(self, session: Session, account_id: uuid.UUID) -> None:
        self.session, self.account_id = session, account_id
        existing = custom_exercises.all_of(session, account_id)
        self.taken = {e.slug for e in existing}
        self.by_key = {names.match_key(e.name): e.slug for e in existing}
        self.memo: dict[str, str] = {}
        self.created: list[str] = []
        self.without_muscles: list[str] = []

    def slug(self, name: str) -> str:
        found = self.memo.get(name)
        if found is None:
            found = names.catalog_slug(name) or self.by_key.get(names.match_key(name))
            if found is None:
                found = self._create(name)
            self.memo[name] = found
        return found

    def _create(self, name: str) -> str:
        new = names.new_exercise(name, self.taken)
        custom_exercises.create_imported(
            self.session,
            self.account_id,
            slug=new.slug,
            name=new.name,
            primary_muscles=[m.value for m in new.primary_muscles],
            equipment=[e.value for e in new.equipment],
        )
        self.session.flush()
        self.taken.add(new.slug)
        self.by_key[names.match_key(name)] = new.slug
        self.created.append(new.slug)
        if not new.primary_muscles:
            self.without_muscles.append(name)
        return new.slug

    def warnings(self) -> list[str]:
        if not self.without_muscles:
            return []
        return [
            "imported with no leg muscle (upper-body or unclassified; set its muscles by "
            "recreating the custom exercise if it is leg work): " + ", ".join(self.without_muscles)
        ]


@dataclass
class _Tally:
    source: str
    created: int = 0
    skipped: int = 0
    sets: int = 0
    seen: set[str] = field(default_factory=set)


@dataclass
class _Candidate:
    body: WorkoutIn
    name: str
    fingerprint: str


def _store(session: Session, athlete: Athlete, tally: _Tally, batch: Sequence[_Candidate]) -> None:
    """Write the workouts of `batch` no earlier import (nor this file) already holds."""
    earlier = fingerprints.known(session, athlete.id, {c.fingerprint for c in batch})
    new: list[_Candidate] = []
    for candidate in batch:
        if candidate.fingerprint in earlier or candidate.fingerprint in tally.seen:
            tally.skipped += 1
            continue
        tally.seen.add(candidate.fingerprint)
        new.append(candidate)
    made = workouts.create_many(session, athlete, [c.body for c in new])
    fingerprints.remember(
        session,
        athlete.id,
        tally.source,
        [(c.fingerprint, w["id"], c.name) for c, w in zip(new, made, strict=True)],
    )
    tally.created += len(new)
    tally.sets += sum(len(e.sets) for c in new for e in c.body.exercises)


def _run(
    session: Session,
    athlete: Athlete,
    source: str,
    candidates: Iterable[_Candidate],
) -> _Tally:
    tally = _Tally(source)
    batch: list[_Candidate] = []
    for candidate in candidates:
        batch.append(candidate)
        if len(batch) >= BATCH:
            _store(session, athlete, tally, batch)
            batch.clear()
    _store(session, athlete, tally, batch)
    return tally


class _Sets:
    """Sets as the workout API takes them, each distinct one validated once: a file's sets
    repeat the same few values, and checking each against WorkoutSetIn's rules anew would be
    most of an import's validation. Bounded: it forgets all past `LIMIT` distinct sets."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self.known: dict[tuple[object, ...], WorkoutSetIn] = {}

    def of(self, s: ParsedSet) -> WorkoutSetIn:
        """The set validated (shared: never to be changed), or ValidationError."""
        # A load of 0.0 and one of -0.0 are equal, but not written alike: told apart by text.
        key = (s.reps, s.load_kg or str(s.load_kg), s.rpe, s.rir, s.duration_s, s.warmup)
        found = self.known.get(key)
        if found is None:
            found = WorkoutSetIn.model_validate(s.values())
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[key] = found
        return found


def _csv_workout(
    header: Header, workout: ParsedWorkout, exercises: _Exercises, sets: _Sets
) -> WorkoutIn:
    """A parsed workout as the workout API takes it; a value it refuses names its line."""
    listed: list[dict[str, Any]] = [
        {"exercise": exercises.slug(e.name), "notes": e.notes_text()} for e in workout.exercises
    ]
    document = {
        "performed_at": workout.performed_at,
        "duration_min": workout.duration_min,
        "notes": workout.notes,
        "exercises": listed,
    }
    try:
        for exercise, parsed in zip(listed, workout.exercises, strict=True):
            exercise["sets"] = [sets.of(s) for s in parsed.sets]
        return WorkoutIn.model_validate(document)
    except ValidationError:
        pass
    # Refused: validated again whole, as the API would, for every error with its line.
    for exercise, parsed in zip(listed, workout.exercises, strict=True):
        exercise["sets"] = [s.values() for s in parsed.sets]
    try:
        WorkoutIn.model_validate(document)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            line, column = parser.locate(header, workout, error["loc"])
            errors.append(FieldError(field=f"line {line}, column {column}", message=error["msg"]))
        raise InvalidInput.of(errors) from None
    raise AssertionError("a workout refused with its sets validated one by one passed whole")


def import_csv(
    session: Session,
    athlete: Athlete,
    stream: TextIO,
    *,
    source: str,
    unit: str | None,
) -> ImportResult:
    """Import a Strong or Hevy CSV export (`source` strong, hevy or auto) into the athlete."""
    warnings = Warnings()
    header, parsed = parser.read(
        stream, source=source, unit=unit, timezone=athlete.timezone, warnings=warnings
    )
    exercises = _Exercises(session, athlete.account_id)
    layout_source = header.layout.source.value
    sets = _Sets()

    def candidates() -> Iterable[_Candidate]:
        for workout in parsed:
            body = _csv_workout(header, workout, exercises, sets)
            yield _Candidate(
                body, workout.name, fingerprints.fingerprint(layout_source, body, workout.name)
            )

    with _racing_imports_conflict():
        tally = _run(session, athlete, layout_source, candidates())
    _completed(session, athlete)
    return _result(tally, exercises, warnings.all())


def import_legwork(session: Session, athlete: Athlete, document: bytes) -> ImportResult:
    """Import a Legwork JSON export (`legwork-export/1`): its custom exercises, its stored plan
    (when the athlete has none), then its workouts and goals. A workout's `planned_session` is
    kept when it names a session of the plan restored (under the session's new id)."""
    try:
        export = LegworkExport.model_validate_json(document)
    except ValidationError as exc:
        raise InvalidInput.of(
            [FieldError(field=field_path(e["loc"]), message=e["msg"]) for e in exc.errors()]
        ) from None
    exercises = _Exercises(session, athlete.account_id)
    warnings: list[str] = []
    for custom in export.custom_exercises:
        assert custom.slug is not None
        if custom.slug in exercises.taken or get_catalog().get(custom.slug) is not None:
            continue
        custom_exercises.create_imported(
            session,
            athlete.account_id,
            slug=custom.slug,
            name=custom.name,
            primary_muscles=[m.value for m in custom.primary_muscles],
            equipment=[e.value for e in custom.equipment],
        )
        exercises.taken.add(custom.slug)
        exercises.created.append(custom.slug)
    session.flush()
    planned = _restore_plan(session, athlete, export.plan, warnings)
    if any(w.planned_session not in (None, *planned) for w in export.workouts):
        warnings.append(
            "planned_session left out where it names no session of a plan this import restored"
        )

    def candidates() -> Iterable[_Candidate]:
        for exported in export.workouts:
            body = _plain(exported, planned)
            name = exported.name or ""
            fingerprint = fingerprints.fingerprint("legwork", body, name, exported.id)
            yield _Candidate(body, name, fingerprint)

    with _racing_imports_conflict():
        tally = _run(session, athlete, "legwork", candidates())
    _restore_goals(session, athlete, export.goals)
    _completed(session, athlete)
    return _result(tally, exercises, warnings)


def _restore_goals(session: Session, athlete: Athlete, exported: list[ExportedGoal]) -> None:
    """The export's goals the athlete does not have yet (the same kind, exercise, target, load,
    dates and note), with their start date and baseline."""
    fields = (*GoalIn.model_fields, "start_date")
    held = {tuple(getattr(g, f) for f in fields) for g in goals.all_of(session, athlete.id)}
    for goal in exported:
        key = tuple(getattr(goal, f) for f in fields)
        if key not in held:
            body = GoalIn.model_validate(goal.model_dump(include=set(GoalIn.model_fields)))
            goals.restore(session, athlete, body, goal.start_date, goal.baseline)
            held.add(key)


def _restore_plan(
    session: Session, athlete: Athlete, exported: ExportedPlan | None, warnings: list[str]
) -> dict[uuid.UUID, uuid.UUID]:
    """The export's stored plan, for an athlete with none: each exported session id → the id
    it has now (a workout naming it names it again, so adherence is the same)."""
    if exported is None:
        return {}
    if session.get(StoredPlan, athlete.id) is not None:
        warnings.append("the athlete has a stored plan already: the export's was not restored")
        return {}
    return plans.restore(session, athlete, exported.request, exported.plan, at="plan.plan")


def _plain(exported: ExportedWorkout, planned: dict[uuid.UUID, uuid.UUID]) -> WorkoutIn:
    # A session of a plan not restored here cannot be named: that planned work is not kept.
    document = exported.model_dump(include=set(WorkoutIn.model_fields))
    session_id = exported.planned_session
    document["planned_session"] = planned.get(session_id) if session_id is not None else None
    return WorkoutIn.model_validate(document)


def _completed(session: Session, athlete: Athlete) -> None:
    """After the workouts are in: goals they reach announce it, and the feed gets the
    `import.completed` webhook event (on the athlete, whose logs changed)."""
    goals.announce_reached(session, athlete)
    completed = Changed(
        Kind.athlete,
        athlete.id,
        athlete.id,
        Op.upsert,
        etag_of(athlete.version),
        EventType.import_completed.value,
    )
    record(session, athlete.account_id, completed)


@contextmanager
def _racing_imports_conflict() -> Iterator[None]:
    """Two imports of one account at once may both find a workout or a custom exercise new;
    the second to write it breaks a unique key: a 409 (its transaction is rolled back)."""
    try:
        yield
    except IntegrityError:
        raise Conflict(
            "Another import into this account ran at the same time; nothing of this one was "
            "stored. Send it again: what the other stored will be skipped."
        ) from None


def _result(tally: _Tally, exercises: _Exercises, warnings: list[str]) -> ImportResult:
    return ImportResult(
        workouts_created=tally.created,
        workouts_skipped=tally.skipped,
        sets_created=tally.sets,
        custom_exercises_created=exercises.created,
        warnings=warnings + exercises.warnings(),
    )

"""workout exercises json

Each workout keeps its exercises and sets as the API shows them, so that a page of workouts is
read from one row each. Existing workouts get theirs from workout_exercises and workout_sets,
streamed in workout order and written in batches.

Revision ID: 0ff881e62e29
Revises: b6c1d6c13e65
Create Date: 2026-12-01 21:28:00.000000
"""

import json
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0ff881e62e29'
down_revision: str | None = 'b6c1d6c13e65'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
SET_FIELDS = ("reps", "load_kg", "rpe", "rir", "duration_s", "side", "warmup")

workouts = sa.table("workouts", sa.column("id", sa.Uuid()), sa.column("exercises_json", sa.Text()))
exercises = sa.table(
    "workout_exercises",
    sa.column("workout_id", sa.Uuid()),
    sa.column("position", sa.Integer()),
    sa.column("exercise", sa.String()),
    sa.column("notes", sa.String()),
)
sets = sa.table(
    "workout_sets",
    sa.column("workout_id", sa.Uuid()),
    sa.column("exercise_position", sa.Integer()),
    sa.column("position", sa.Integer()),
    sa.column("reps", sa.Integer()),
    sa.column("load_kg", sa.Float()),
    sa.column("rpe", sa.Float()),
    sa.column("rir", sa.Integer()),
    sa.column("duration_s", sa.Integer()),
    sa.column("side", sa.String()),
    sa.column("warmup", sa.Boolean()),
)


def _documents(connection: sa.Connection) -> Iterator[dict[str, Any]]:
    """(workout id, exercises JSON) for every workout, exercises and sets in order."""
    exercise_rows = connection.execute(
        sa.select(exercises).order_by(exercises.c.workout_id, exercises.c.position)
    )
    set_rows = connection.execute(
        sa.select(sets).order_by(sets.c.workout_id, sets.c.exercise_position, sets.c.position)
    )
    sets_by_workout = groupby(set_rows, key=lambda r: r.workout_id)
    pending = next(sets_by_workout, None)
    for workout_id, its_exercises in groupby(exercise_rows, key=lambda r: r.workout_id):
        its_sets: dict[int, list[dict[str, Any]]] = {}
        while pending is not None and pending[0] == workout_id:
            for s in pending[1]:
                its_sets.setdefault(s.exercise_position, []).append(
                    {name: getattr(s, name) for name in SET_FIELDS}
                )
            pending = next(sets_by_workout, None)
        document = [
            {"exercise": e.exercise, "notes": e.notes, "sets": its_sets.get(e.position, [])}
            for e in its_exercises
        ]
        yield {"wid": workout_id, "document": json.dumps(document, separators=(",", ":"))}


def upgrade() -> None:
    with op.batch_alter_table('workouts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exercises_json', sa.Text(), nullable=True))
    connection = op.get_bind()
    update = (
        workouts.update()
        .where(workouts.c.id == sa.bindparam("wid"))
        .values(exercises_json=sa.bindparam("document"))
    )
    batch: list[dict[str, Any]] = []
    for row in list(_documents(connection)):
        batch.append(row)
        if len(batch) == BATCH:
            connection.execute(update, batch)
            batch = []
    if batch:
        connection.execute(update, batch)
    connection.execute(workouts.update().where(workouts.c.exercises_json.is_(None)).values(exercises_json="[]"))
    with op.batch_alter_table('workouts', schema=None) as batch_op:
        batch_op.alter_column('exercises_json', existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('workouts', schema=None) as batch_op:
        batch_op.drop_column('exercises_json')

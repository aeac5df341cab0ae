"""load records

Each athlete's bests per (exercise, load) over all their history, kept with the set rollups so
that progress over the whole history reads one row a (exercise, load) instead of grouping every
(date, exercise, load). Existing set rollups are summed here as a write would
(app.workouts.rollups.bests).

Revision ID: 2b3f77b96bff
Revises: 4230fb4e6d17
Create Date: 2026-12-07 17:58:34.818106
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "2b3f77b96bff"
down_revision: str | None = "4230fb4e6d17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SAME_LOAD = """
    r.athlete_id = b.athlete_id AND r.exercise = b.exercise AND r.load_kg = b.load_kg
"""


def upgrade() -> None:
    op.create_table(
        "load_records",
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("exercise", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("first_day_reps", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("reps_day", sa.Date(), nullable=False),
        sa.Column("e1rm_kg", sa.Float(), nullable=True),
        sa.Column("rtf", sa.Float(), nullable=True),
        sa.Column("e1rm_day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_load_records_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "athlete_id", "exercise", "load_kg", name=op.f("pk_load_records")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(
        f"""
        INSERT INTO load_records (athlete_id, exercise, load_kg, first_day, first_day_reps,
            reps, reps_day, e1rm_kg, rtf, e1rm_day)
        SELECT b.athlete_id, b.exercise, b.load_kg, b.first_day,
            (SELECT r.max_reps FROM set_rollups r
             WHERE {SAME_LOAD} AND r.local_date = b.first_day),
            b.reps,
            (SELECT min(r.local_date) FROM set_rollups r
             WHERE {SAME_LOAD} AND r.max_reps = b.reps),
            b.e1rm, b.rtf,
            (SELECT min(r.local_date) FROM set_rollups r
             WHERE {SAME_LOAD} AND r.max_rtf = b.rtf)
        FROM (
            SELECT athlete_id, exercise, load_kg, min(local_date) AS first_day,
                max(max_reps) AS reps, max(max_rtf) AS rtf, max(e1rm_kg) AS e1rm
            FROM set_rollups
            WHERE max_reps >= 1
            GROUP BY athlete_id, exercise, load_kg
        ) AS b
        """
    )


def downgrade() -> None:
    op.drop_table("load_records")

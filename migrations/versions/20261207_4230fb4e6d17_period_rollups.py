"""period rollups

Working sets summed per (athlete, week or month, exercise), kept with the set rollups so that
progress over years by period reads one row a (period, exercise). Existing set rollups are
summed here, one INSERT … SELECT a period kind, as a write would (app.workouts.rollups).

Revision ID: 4230fb4e6d17
Revises: df783d8e6cfc
Create Date: 2026-12-07 16:02:30.446481
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "4230fb4e6d17"
down_revision: str | None = "df783d8e6cfc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "period_rollups",
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("exercise", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("volume_kg", sa.Float(), nullable=False),
        sa.Column("e1rm_kg", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_period_rollups_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "athlete_id", "period", "period_start", "exercise", name=op.f("pk_period_rollups")
        ),
        sqlite_with_rowid=False,
    )
    for period, key in (("week", "week_start"), ("month", "month_start")):
        op.execute(
            f"""
            INSERT INTO period_rollups (athlete_id, period, period_start, exercise, sets, reps,
                volume_kg, e1rm_kg)
            SELECT athlete_id, '{period}', {key}, exercise, sum(sets), sum(reps),
                sum(volume_kg), max(e1rm_kg)
            FROM set_rollups
            GROUP BY athlete_id, {key}, exercise
            """
        )


def downgrade() -> None:
    op.drop_table("period_rollups")

"""covering workout days index

The workouts' (athlete, local date) index also holds session_rpe and duration_min, so that
progress reads workouts and session load per day or period from the index alone, not a row
lookup per workout among every athlete's rows.

Revision ID: 5c1e0a7d9f21
Revises: 3b6944bf9ebc
Create Date: 2026-12-07 19:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5c1e0a7d9f21"
down_revision: str | None = "3b6944bf9ebc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("ix_workouts_athlete_id_local_date", ["athlete_id", "local_date"])
NEW = (
    "ix_workouts_athlete_id_local_date_session_rpe_duration_min",
    ["athlete_id", "local_date", "session_rpe", "duration_min"],
)


def upgrade() -> None:
    op.create_index(NEW[0], "workouts", NEW[1])
    op.drop_index(OLD[0], table_name="workouts")


def downgrade() -> None:
    op.create_index(OLD[0], "workouts", OLD[1])
    op.drop_index(NEW[0], table_name="workouts")

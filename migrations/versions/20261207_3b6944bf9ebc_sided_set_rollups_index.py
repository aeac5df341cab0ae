"""sided set rollups index

A partial index of the set rollups of sets done one side at a time, which the balance's
asymmetry sums: most rows are neither, so years of logs are read in a fraction of the time.

Revision ID: 3b6944bf9ebc
Revises: 2b3f77b96bff
Create Date: 2026-12-07 18:10:19.951831
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b6944bf9ebc"
down_revision: str | None = "2b3f77b96bff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIDED = sa.text("left_reps > 0 OR right_reps > 0")


def upgrade() -> None:
    op.create_index(
        "ix_set_rollups_sided",
        "set_rollups",
        ["athlete_id", "local_date", "exercise", "load_kg", "left_reps", "right_reps"],
        sqlite_where=SIDED,
        postgresql_where=SIDED,
    )


def downgrade() -> None:
    op.drop_index("ix_set_rollups_sided", table_name="set_rollups")

"""athlete running week

The athlete's profile holds the running week plans are built around: strength sessions a week,
session minutes, long-run day and hard-run days. All nullable: existing athletes have none set.

Revision ID: a5ed053e9e2d
Revises: 01b67065d3c3
Create Date: 2026-12-07 11:46:29.407401
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a5ed053e9e2d"
down_revision: str | None = "01b67065d3c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sessions_per_week", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("session_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("long_run_day", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("hard_run_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.drop_column("hard_run_days")
        batch_op.drop_column("long_run_day")
        batch_op.drop_column("session_minutes")
        batch_op.drop_column("sessions_per_week")

"""stored plans

An athlete's stored plan (one an athlete) and its sessions, which workouts name in
`planned_session` and progress counts for adherence.

Revision ID: ba4cb5fcee61
Revises: a5ed053e9e2d
Create Date: 2026-12-07 11:48:31.156054
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = 'ba4cb5fcee61'
down_revision: str | None = 'a5ed053e9e2d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('plan_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('athlete_id', sa.Uuid(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('date', app.db.LocalDate(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_plan_sessions_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_sessions'))
    )
    with op.batch_alter_table('plan_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_sessions_athlete_id_date'), ['athlete_id', 'date'], unique=False)

    op.create_table('plans',
    sa.Column('athlete_id', sa.Uuid(), nullable=False),
    sa.Column('request_json', sa.Text(), nullable=False),
    sa.Column('plan_json', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_plans_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('athlete_id', name=op.f('pk_plans'))
    )


def downgrade() -> None:
    op.drop_table('plans')
    with op.batch_alter_table('plan_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_sessions_athlete_id_date'))

    op.drop_table('plan_sessions')

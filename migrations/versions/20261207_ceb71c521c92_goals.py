"""goals

An athlete's goals: a target for a measure of the logs (e1RM, reps at a load, a hold, sessions
a week) by a date, with the baseline measured when it was set.

Revision ID: ceb71c521c92
Revises: 56a2c482ad6f
Create Date: 2026-12-07 11:59:13.774490
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = 'ceb71c521c92'
down_revision: str | None = '56a2c482ad6f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('goals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('athlete_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('exercise', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('load_kg', sa.Float(), nullable=True),
    sa.Column('target_date', app.db.LocalDate(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('start_date', app.db.LocalDate(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_goals_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_athlete_id_created_at_id'), ['athlete_id', 'created_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_athlete_id_created_at_id'))

    op.drop_table('goals')

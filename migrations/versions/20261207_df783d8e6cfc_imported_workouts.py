"""imported workouts

The fingerprints of imported workouts (Strong, Hevy, Legwork exports): a workout imported once
is skipped when a later file holds it again.

Revision ID: df783d8e6cfc
Revises: 84f9d410626c
Create Date: 2026-12-07 13:13:14.024409
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = 'df783d8e6cfc'
down_revision: str | None = '84f9d410626c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('imported_workouts',
    sa.Column('athlete_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('workout_id', sa.Uuid(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_imported_workouts_athlete_id_athletes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workout_id'], ['workouts.id'], name=op.f('fk_imported_workouts_workout_id_workouts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('athlete_id', 'fingerprint', name=op.f('pk_imported_workouts'))
    )
    with op.batch_alter_table('imported_workouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_workouts_workout_id'), ['workout_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('imported_workouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_workouts_workout_id'))

    op.drop_table('imported_workouts')

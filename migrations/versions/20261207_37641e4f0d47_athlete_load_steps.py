"""athlete load steps

The smallest load change of the athlete's own equipment (kg by equipment), for loads from the
logs; null: the defaults.

Revision ID: 37641e4f0d47
Revises: ceb71c521c92
Create Date: 2026-12-07 12:05:56.594363
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = '37641e4f0d47'
down_revision: str | None = 'ceb71c521c92'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('athletes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('load_steps_kg', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('athletes', schema=None) as batch_op:
        batch_op.drop_column('load_steps_kg')


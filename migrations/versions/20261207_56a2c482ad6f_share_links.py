"""share links

Read-only links to an athlete's plan calendar or progress chart, for calendar apps and <img>
tags; the secret is stored as its SHA-256.

Revision ID: 56a2c482ad6f
Revises: ba4cb5fcee61
Create Date: 2026-12-07 11:56:37.201330
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = '56a2c482ad6f'
down_revision: str | None = 'ba4cb5fcee61'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('share_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('athlete_id', sa.Uuid(), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('resource', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('query_json', sa.Text(), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athletes.id'], name=op.f('fk_share_links_athlete_id_athletes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_links')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_share_links_secret_hash'))
    )
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_links_athlete_id_created_at_id'), ['athlete_id', 'created_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_links_athlete_id_created_at_id'))

    op.drop_table('share_links')

"""seal idempotency answers

Keys are kept only as SHA-256 hashes and answers only sealed with a key derived from the raw
key. Stored answers are a replay cache of at most a day or so, and the old ones hold plaintext
(new tokens' secrets among them): the table is emptied, not converted. A retry of a request
answered before the upgrade runs afresh.

Revision ID: b6c1d6c13e65
Revises: c65fe00c0e25
Create Date: 2026-12-01 20:42:22.344001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = 'b6c1d6c13e65'
down_revision: str | None = 'c65fe00c0e25'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(key: sa.Column, body: sa.Column) -> None:
    op.create_table('idempotency_keys',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    key,
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    body,
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_idempotency_keys_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', key.name, name=op.f('pk_idempotency_keys'))
    )


def upgrade() -> None:
    op.drop_table('idempotency_keys')
    _create(
        sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('sealed_body', sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('idempotency_keys')
    _create(
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
    )

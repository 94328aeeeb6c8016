"""Early delivery callbacks

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 04:22:45.449572

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('early_callback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('error_code', sa.String(length=20), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_early_callback'))
    )
    with op.batch_alter_table('early_callback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_early_callback_provider_id'), ['provider_id'], unique=False)


def downgrade():
    with op.batch_alter_table('early_callback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_early_callback_provider_id'))

    op.drop_table('early_callback')

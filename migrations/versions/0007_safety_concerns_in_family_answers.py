"""Safety concerns in family answers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 04:08:00.933805

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('form_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safety_concern_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('form_response', schema=None) as batch_op:
        batch_op.drop_column('safety_concern_at')

"""A child's helping adult

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 13:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('helper_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('helper_relationship', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_column('helper_relationship')
        batch_op.drop_column('helper_name')

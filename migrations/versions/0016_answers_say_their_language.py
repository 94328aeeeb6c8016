"""Answers and additions say the language they were written in

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:40:00.000000

The page's language when the person saved the answer ("en", "pl"): staff pages mark text
written in another language, so a coordinator knows to get it read. Answers saved before this
have no language (NULL): nobody knows which page they were typed on.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('addition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('addition', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('language')

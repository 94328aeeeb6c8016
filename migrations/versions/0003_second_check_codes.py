"""Second check codes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:05:57.236771

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_KINDS = "'views_invitation', 'views_reminder', 'feedback_invitation', 'feedback_reminder', 'rating_thanks'"
NEW_KINDS = OLD_KINDS + ", 'check_code'"
KIND_CHECK = "kind IN (%s)"


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('code_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('code_attempts', sa.Integer(), server_default='0', nullable=False))

    # A new message kind: the enum's CHECK constraint is written out again (by hand: autogenerate
    # does not compare CHECK constraints).
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_message_message_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_message_message_kind'), KIND_CHECK % NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM message WHERE kind = 'check_code'")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_message_message_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_message_message_kind'), KIND_CHECK % OLD_KINDS)
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('code_attempts')
        batch_op.drop_column('code_sent_at')
        batch_op.drop_column('code_salt')

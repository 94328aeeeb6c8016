"""Message wording an admin can change

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:09:31.973811

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_wording',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('views_invitation', 'views_reminder', 'feedback_invitation', 'feedback_reminder', 'rating_thanks', 'check_code', name='wording_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'email', 'none', name='wording_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name=op.f('fk_message_wording_updated_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_wording')),
    sa.UniqueConstraint('kind', 'channel', name='uq_message_wording_kind_channel')
    )


def downgrade():
    op.drop_table('message_wording')

"""Invitations and the message outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 02:45:02.547731

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.Enum('views', 'feedback', name='form_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('token_salt', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('quick_rating', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('quick_rating BETWEEN 1 AND 5', name=op.f('ck_invitation_quick_rating_1_to_5')),
    sa.ForeignKeyConstraint(['conference_id', 'family_member_id'], ['conference_adult.conference_id', 'conference_adult.family_member_id'], name='fk_invitation_conference_adult', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_invitation_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_member.id'], name=op.f('fk_invitation_family_member_id_family_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash')),
    sa.UniqueConstraint('token_salt', name=op.f('uq_invitation_token_salt'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_family_member_id'), ['family_member_id'], unique=False)
        batch_op.create_index('uq_invitation_live', ['conference_id', 'family_member_id', 'form'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('views_invitation', 'views_reminder', 'feedback_invitation', 'feedback_reminder', 'rating_thanks', name='message_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'email', 'none', name='message_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', name='message_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('provider', sa.String(length=20), nullable=True),
    sa.Column('provider_id', sa.String(length=100), nullable=True),
    sa.Column('provider_status', sa.String(length=30), nullable=True),
    sa.Column('error_code', sa.String(length=20), nullable=True),
    sa.Column('error_detail', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_message_attempts_not_negative')),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_message_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_member.id'], name=op.f('fk_message_family_member_id_family_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_message_invitation_id_invitation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('ix_message_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_family_member_id'), ['family_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitations_paused', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms_opted_out_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('second_check', sa.Enum('none', 'code', name='second_check', native_enum=False, create_constraint=True), server_default='none', nullable=False))


def downgrade():
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        # SQLite's batch copy would keep the enum's CHECK on a column that no longer exists.
        batch_op.drop_constraint(op.f('ck_family_member_second_check'), type_='check')
        batch_op.drop_column('second_check')
        batch_op.drop_column('sms_opted_out_at')

    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.drop_column('invitations_paused')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_provider_id'))
        batch_op.drop_index(batch_op.f('ix_message_invitation_id'))
        batch_op.drop_index(batch_op.f('ix_message_family_member_id'))
        batch_op.drop_index('ix_message_due')
        batch_op.drop_index(batch_op.f('ix_message_conference_id'))

    op.drop_table('message')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index('uq_invitation_live', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_invitation_family_member_id'))

    op.drop_table('invitation')

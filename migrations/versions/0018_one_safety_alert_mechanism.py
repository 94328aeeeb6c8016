"""One safety alert mechanism

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:30:46.686046

Family answers that said someone is in danger now (form_response.safety_concern_at) and
advocates' safeguarding concerns (advocate_record.safeguarding_concern_at) become safety_alert
rows; the advocates' per-recipient safeguarding_alert rows become safety_alert_delivery rows.
Nobody acknowledged any of them, so they come in open; they are marked escalated at the
upgrade's time so that the worker does not send the duty team a backlog of old concerns.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('safety_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('danger_answer', 'safety_scale', 'advocate_concern', 'text_reply', name='alert_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('raised_by', sa.Enum('family_member', 'child', 'advocate', name='alert_raiser', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=True),
    sa.Column('form_response_id', sa.Integer(), nullable=True),
    sa.Column('advocate_record_id', sa.Integer(), nullable=True),
    sa.Column('raised_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('open', 'acknowledged', 'closed', name='alert_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('action_taken', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name=op.f('ck_safety_alert_closed_has_a_time')),
    sa.CheckConstraint("state = 'open' OR acknowledged_at IS NOT NULL", name=op.f('ck_safety_alert_acknowledged_has_a_time')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['staff_user.id'], name=op.f('fk_safety_alert_acknowledged_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['advocate_record_id'], ['advocate_record.id'], name=op.f('fk_safety_alert_advocate_record_id_advocate_record'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['staff_user.id'], name=op.f('fk_safety_alert_closed_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_safety_alert_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_member.id'], name=op.f('fk_safety_alert_family_member_id_family_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['form_response_id'], ['form_response.id'], name=op.f('fk_safety_alert_form_response_id_form_response'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by_staff_id'], ['staff_user.id'], name=op.f('fk_safety_alert_raised_by_staff_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_alert')),
    sa.UniqueConstraint('advocate_record_id', 'source', name='uq_safety_alert_record_source'),
    sa.UniqueConstraint('form_response_id', 'source', name='uq_safety_alert_response_source')
    )
    with op.batch_alter_table('safety_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_alert_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_alert_family_member_id'), ['family_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_alert_raised_at'), ['raised_at'], unique=False)

    op.create_table('safety_alert_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('told', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'email', 'none', name='alert_delivery_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['safety_alert.id'], name=op.f('fk_safety_alert_delivery_alert_id_safety_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_safety_alert_delivery_message_id_message'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_alert_delivery'))
    )
    with op.batch_alter_table('safety_alert_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_alert_delivery_alert_id'), ['alert_id'], unique=False)

    _bring_in_what_was_raised()
    with op.batch_alter_table('safeguarding_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_alert_record_id'))

    op.drop_table('safeguarding_alert')


def _bring_in_what_was_raised():
    now = sa.bindparam("now", datetime.now(UTC), type_=sa.DateTime(timezone=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO safety_alert (conference_id, source, raised_by, family_member_id, "
            "form_response_id, raised_at, state, action_taken, outcome, escalated_at) "
            "SELECT i.conference_id, 'danger_answer', "
            "CASE WHEN f.relationship = 'young_person' THEN 'child' ELSE 'family_member' END, "
            "i.family_member_id, r.id, r.safety_concern_at, 'open', '', '', :now "
            "FROM form_response r JOIN invitation i ON i.id = r.invitation_id "
            "JOIN family_member f ON f.id = i.family_member_id "
            "WHERE r.safety_concern_at IS NOT NULL"
        ).bindparams(now)
    )
    bind.execute(
        sa.text(
            "INSERT INTO safety_alert (conference_id, source, raised_by, advocate_record_id, "
            "raised_by_staff_id, raised_at, state, action_taken, outcome, escalated_at) "
            "SELECT f.conference_id, 'advocate_concern', 'advocate', a.id, "
            "(SELECT MIN(s.raised_by_id) FROM safeguarding_alert s WHERE s.record_id = a.id), "
            "a.safeguarding_concern_at, 'open', '', '', :now "
            "FROM advocate_record a JOIN advocacy_referral f ON f.id = a.referral_id "
            "WHERE a.safeguarding_concern_at IS NOT NULL"
        ).bindparams(now)
    )
    bind.execute(
        sa.text(
            "INSERT INTO safety_alert_delivery (alert_id, told, channel, to_address, message_id, "
            "queued_at) "
            "SELECT t.id, s.told, 'email', s.to_address, s.message_id, s.raised_at "
            "FROM safeguarding_alert s JOIN safety_alert t ON t.advocate_record_id = s.record_id "
            "AND t.source = 'advocate_concern' ORDER BY s.id"
        )
    )


def downgrade():
    # The advocates' deliveries to the chair and the social worker go back; alerts from family
    # answers, acknowledgements and the team's and duty team's messages go with the new tables
    # (form_response.safety_concern_at still holds the family answers' flags).
    op.create_table('safeguarding_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('told', sa.String(length=20), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_safeguarding_alert_message_id_message'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['staff_user.id'], name=op.f('fk_safeguarding_alert_raised_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['advocate_record.id'], name=op.f('fk_safeguarding_alert_record_id_advocate_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_alert'))
    )
    with op.batch_alter_table('safeguarding_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_alert_record_id'), ['record_id'], unique=False)

    op.get_bind().execute(
        sa.text(
            "INSERT INTO safeguarding_alert (record_id, told, to_address, message_id, raised_at, "
            "raised_by_id) "
            "SELECT t.advocate_record_id, d.told, d.to_address, d.message_id, d.queued_at, "
            "t.raised_by_staff_id FROM safety_alert_delivery d "
            "JOIN safety_alert t ON t.id = d.alert_id "
            "WHERE t.source = 'advocate_concern' AND t.advocate_record_id IS NOT NULL "
            "AND d.told IN ('chair', 'social_worker') AND d.channel = 'email' ORDER BY d.id"
        )
    )
    with op.batch_alter_table('safety_alert_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_alert_delivery_alert_id'))

    op.drop_table('safety_alert_delivery')
    with op.batch_alter_table('safety_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_alert_raised_at'))
        batch_op.drop_index(batch_op.f('ix_safety_alert_family_member_id'))
        batch_op.drop_index(batch_op.f('ix_safety_alert_conference_id'))

    op.drop_table('safety_alert')

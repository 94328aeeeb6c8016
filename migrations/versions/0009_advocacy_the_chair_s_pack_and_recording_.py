"""Advocacy, the chair's pack and recording the conference

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 08:09:16.749717

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'views_invitation', 'views_reminder', 'feedback_invitation', 'feedback_reminder', "
    "'rating_thanks', 'check_code'"
)
NEW_KINDS = OLD_KINDS + ", 'safeguarding_alert'"


def _message_kinds(kinds):
    """By hand: autogenerate does not compare CHECK constraints."""
    for table, column in (("message", "kind"), ("message_wording", "kind")):
        name = "message_kind" if table == "message" else "wording_kind"
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), f"{column} IN ({kinds})")


def upgrade():
    op.create_table('pack_item_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('item_type', sa.String(length=30), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('read_by_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_pack_item_read_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['read_by_id'], ['staff_user.id'], name=op.f('fk_pack_item_read_read_by_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_item_read')),
    sa.UniqueConstraint('item_type', 'item_id', 'read_by_id', name='uq_pack_item_read')
    )
    with op.batch_alter_table('pack_item_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_item_read_conference_id'), ['conference_id'], unique=False)

    op.create_table('advocacy_referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('referred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('referred_by_id', sa.Integer(), nullable=True),
    sa.Column('advocate_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['advocate_id'], ['staff_user.id'], name=op.f('fk_advocacy_referral_advocate_id_staff_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['staff_user.id'], name=op.f('fk_advocacy_referral_assigned_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_advocacy_referral_child_id_child'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conference_id', 'child_id'], ['conference_child.conference_id', 'conference_child.child_id'], name='fk_advocacy_referral_conference_child', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_advocacy_referral_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referred_by_id'], ['staff_user.id'], name=op.f('fk_advocacy_referral_referred_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advocacy_referral')),
    sa.UniqueConstraint('conference_id', 'child_id', name='uq_advocacy_referral_child')
    )
    with op.batch_alter_table('advocacy_referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advocacy_referral_advocate_id'), ['advocate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advocacy_referral_child_id'), ['child_id'], unique=False)

    op.create_table('advocate_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='record_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('methods', sa.JSON(), nullable=False),
    sa.Column('good_things', sa.Text(), nullable=False),
    sa.Column('worries', sa.Text(), nullable=False),
    sa.Column('wishes', sa.Text(), nullable=False),
    sa.Column('conference_should_know', sa.Text(), nullable=False),
    sa.Column('questions_for_chair', sa.Text(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=True),
    sa.Column('scale_reason', sa.Text(), nullable=False),
    sa.Column('attendance_wish', sa.Enum('whole', 'part', 'none', name='attendance_wish', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('attendance_how', sa.Text(), nullable=False),
    sa.Column('attend_with', sa.Text(), nullable=False),
    sa.Column('advocate_to_speak', sa.Boolean(), nullable=True),
    sa.Column('sharing', sa.JSON(), nullable=False),
    sa.Column('safeguarding_concern_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('safeguarding_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('scale BETWEEN 0 AND 10', name=op.f('ck_advocate_record_scale_0_to_10')),
    sa.ForeignKeyConstraint(['referral_id'], ['advocacy_referral.id'], name=op.f('fk_advocate_record_referral_id_advocacy_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advocate_record')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_advocate_record_referral_id'))
    )
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('sharing', sa.Enum('chair_only', 'conference', 'family', name='attachment_sharing', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['advocacy_referral.id'], name=op.f('fk_attachment_referral_id_advocacy_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['staff_user.id'], name=op.f('fk_attachment_uploaded_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_attachment_storage_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_referral_id'), ['referral_id'], unique=False)

    op.create_table('contact_log_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('contact_on', sa.Date(), nullable=False),
    sa.Column('seen', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('with_whom', sa.String(length=200), nullable=False),
    sa.Column('not_seen_reason', sa.Enum('declined', 'parent_refused', 'not_contactable', name='not_seen_reason', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('seen OR not_seen_reason IS NOT NULL', name=op.f('ck_contact_log_entry_seen_or_why_not')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_contact_log_entry_recorded_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['advocacy_referral.id'], name=op.f('fk_contact_log_entry_referral_id_advocacy_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_log_entry'))
    )
    with op.batch_alter_table('contact_log_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_log_entry_referral_id'), ['referral_id'], unique=False)

    op.create_table('advocate_record_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['advocate_record.id'], name=op.f('fk_advocate_record_version_record_id_advocate_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['staff_user.id'], name=op.f('fk_advocate_record_version_submitted_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advocate_record_version')),
    sa.UniqueConstraint('record_id', 'version', name='uq_record_version')
    )
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

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('social_worker_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('social_worker_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('held_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('quorate', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_conference_recorded_by_id_staff_user'), 'staff_user', ['recorded_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('not_invited_reason', sa.Enum('excluded', 'whereabouts_unknown', 'other', name='not_invited_reason', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('attendance', sa.Enum('none', 'part', 'whole', name='adult_attendance', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('attendance_mode', sa.Enum('in_person', 'video', 'phone', name='attendance_mode', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('views_routes', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('conference_child', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participation_code', sa.Enum('CP0', 'CP1', 'CP2', 'CP3', 'CP4', 'CP5', 'CP6', 'CP7', name='participation_code', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('plan_outcome', sa.Enum('no_plan', 'started', 'continued', 'ended_child_in_need', 'ended_looked_after', 'transferred', name='plan_outcome', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('harm_category', sa.Enum('neglect', 'emotional', 'physical', 'sexual', name='harm_category', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('you_said_we_did', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('you_said_we_did_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('family_member_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_advocacy_manager', sa.Boolean(), server_default=sa.false(), nullable=False))

    _message_kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM safeguarding_alert")
    op.execute("DELETE FROM message WHERE kind = 'safeguarding_alert' OR family_member_id IS NULL")
    op.execute("DELETE FROM message_wording WHERE kind = 'safeguarding_alert'")
    _message_kinds(OLD_KINDS)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('is_advocacy_manager')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('family_member_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('conference_child', schema=None) as batch_op:
        batch_op.drop_column('you_said_we_did_at')
        batch_op.drop_column('you_said_we_did')
        batch_op.drop_constraint(op.f('ck_conference_child_harm_category'), type_='check')
        batch_op.drop_column('harm_category')
        batch_op.drop_constraint(op.f('ck_conference_child_plan_outcome'), type_='check')
        batch_op.drop_column('plan_outcome')
        batch_op.drop_constraint(op.f('ck_conference_child_participation_code'), type_='check')
        batch_op.drop_column('participation_code')

    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.drop_column('views_routes')
        batch_op.drop_constraint(op.f('ck_conference_adult_attendance_mode'), type_='check')
        batch_op.drop_column('attendance_mode')
        batch_op.drop_constraint(op.f('ck_conference_adult_adult_attendance'), type_='check')
        batch_op.drop_column('attendance')
        batch_op.drop_constraint(op.f('ck_conference_adult_not_invited_reason'), type_='check')
        batch_op.drop_column('not_invited_reason')
        batch_op.drop_column('invited')

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conference_recorded_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('recorded_at')
        batch_op.drop_column('quorate')
        batch_op.drop_column('held_on')
        batch_op.drop_column('social_worker_email')
        batch_op.drop_column('social_worker_name')

    with op.batch_alter_table('safeguarding_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_alert_record_id'))

    op.drop_table('safeguarding_alert')
    op.drop_table('advocate_record_version')
    with op.batch_alter_table('contact_log_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_log_entry_referral_id'))

    op.drop_table('contact_log_entry')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_referral_id'))

    op.drop_table('attachment')
    op.drop_table('advocate_record')
    with op.batch_alter_table('advocacy_referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advocacy_referral_child_id'))
        batch_op.drop_index(batch_op.f('ix_advocacy_referral_advocate_id'))

    op.drop_table('advocacy_referral')
    with op.batch_alter_table('pack_item_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_item_read_conference_id'))

    op.drop_table('pack_item_read')

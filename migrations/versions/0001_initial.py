"""Staff, conferences, children, family members, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-27 02:29:28.085182

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('child',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('expected_date_of_birth', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(date_of_birth IS NULL) <> (expected_date_of_birth IS NULL)', name=op.f('ck_child_born_or_expected')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child'))
    )
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'coordinator', 'chair', 'advocate', 'participation_officer', name='staff_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active_account', sa.Boolean(), nullable=False),
    sa.Column('sees_all_conferences', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_signed_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_staff_user_email_lower_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('view', 'create', 'update', 'delete', 'sign_in', 'sign_in_failed', 'sign_out', name='audit_action', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('fields', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_audit_event_actor_id_staff_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index('ix_audit_event_record', ['record_type', 'record_id'], unique=False)

    op.create_table('conference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_reference', sa.String(length=40), nullable=False),
    sa.Column('conference_type', sa.Enum('initial', 'review', 'transfer_in', name='conference_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('format', sa.Enum('in_person', 'virtual', 'hybrid', name='conference_format', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'held', 'cancelled', name='conference_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('section_47_started_on', sa.Date(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("conference_type <> 'initial' OR section_47_started_on IS NOT NULL", name=op.f('ck_conference_initial_has_section_47_date')),
    sa.CheckConstraint('case_reference = upper(case_reference)', name=op.f('ck_conference_case_reference_upper')),
    sa.ForeignKeyConstraint(['chair_id'], ['staff_user.id'], name=op.f('fk_conference_chair_id_staff_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_conference_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference'))
    )
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_case_reference'), ['case_reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_conference_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conference_starts_at'), ['starts_at'], unique=False)

    op.create_table('family_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('relationship', sa.Enum('mother', 'father', 'parental_responsibility', 'carer', 'other_family', name='relationship', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('mobile', sa.String(length=16), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('preferred_channel', sa.Enum('sms', 'email', 'none', name='channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('language', sa.String(length=60), nullable=False),
    sa.Column('access_needs', sa.Text(), nullable=False),
    sa.Column('contact_confirmed_safe_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contact_confirmed_safe_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mobile IS NULL OR mobile LIKE '+%'", name=op.f('ck_family_member_mobile_e164')),
    sa.CheckConstraint("preferred_channel <> 'email' OR email IS NOT NULL", name=op.f('ck_family_member_email_needs_address')),
    sa.CheckConstraint("preferred_channel <> 'sms' OR mobile IS NOT NULL", name=op.f('ck_family_member_sms_needs_mobile')),
    sa.CheckConstraint('(contact_confirmed_safe_at IS NULL) = (contact_confirmed_safe_by_id IS NULL)', name=op.f('ck_family_member_safe_confirmation_complete')),
    sa.CheckConstraint('email IS NULL OR email = lower(email)', name=op.f('ck_family_member_email_lower_case')),
    sa.ForeignKeyConstraint(['contact_confirmed_safe_by_id'], ['staff_user.id'], name=op.f('fk_family_member_contact_confirmed_safe_by_id_staff_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_member'))
    )
    op.create_table('conference_adult',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_conference_adult_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_member.id'], name=op.f('fk_conference_adult_family_member_id_family_member'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('conference_id', 'family_member_id', name=op.f('pk_conference_adult'))
    )
    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_adult_family_member_id'), ['family_member_id'], unique=False)

    op.create_table('conference_child',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_conference_child_child_id_child'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_conference_child_conference_id_conference'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conference_id', 'child_id', name=op.f('pk_conference_child'))
    )
    with op.batch_alter_table('conference_child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_child_child_id'), ['child_id'], unique=False)


def downgrade():
    with op.batch_alter_table('conference_child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_child_child_id'))

    op.drop_table('conference_child')
    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_adult_family_member_id'))

    op.drop_table('conference_adult')
    op.drop_table('family_member')
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_starts_at'))
        batch_op.drop_index(batch_op.f('ix_conference_chair_id'))
        batch_op.drop_index(batch_op.f('ix_conference_case_reference'))

    op.drop_table('conference')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_record')
        batch_op.drop_index(batch_op.f('ix_audit_event_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_conference_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    op.drop_table('staff_user')
    op.drop_table('child')

"""Tasks from what families ask for, and the chair's reminder to record a meeting

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:40:00.000000

A task is a call the chair makes (a parent asked to speak to them) or an interpreter or other
help the coordinators arrange: one per kind, person and conference. Its outcome is sealed. A
conference keeps when its chair was reminded to record it, and the reminder is a new message
kind (a CHECK constraint, changed by hand as in 0009).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'views_invitation', 'views_reminder', 'feedback_invitation', 'feedback_reminder', "
    "'rating_thanks', 'check_code', 'safeguarding_alert'"
)
NEW_KINDS = OLD_KINDS + ", 'record_reminder'"


def _message_kinds(kinds):
    """By hand: autogenerate does not compare CHECK constraints."""
    for table, column in (("message", "kind"), ("message_wording", "kind")):
        name = "message_kind" if table == "message" else "wording_kind"
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), f"{column} IN ({kinds})")


def upgrade():
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('speak_to_chair', 'interpreter', 'access', name='task_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.String(length=60), server_default='', nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('open', 'done', 'not_done', 'cancelled', name='task_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('contacted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contact_method', sa.Enum('phone', 'video', 'in_person', 'email', 'text', name='contact_method', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('outcome', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("state NOT IN ('done', 'not_done') OR (done_at IS NOT NULL AND done_by_id IS NOT NULL)", name=op.f('ck_task_finished_says_who_and_when')),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_task_conference_id_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by_id'], ['staff_user.id'], name=op.f('fk_task_done_by_id_staff_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_member.id'], name=op.f('fk_task_family_member_id_family_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('conference_id', 'family_member_id', 'kind', name='uq_task_need')
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_family_member_id'), ['family_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_state'), ['state'], unique=False)

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_reminder_at', sa.DateTime(timezone=True), nullable=True))

    _message_kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM message WHERE kind = 'record_reminder'")
    op.execute("DELETE FROM message_wording WHERE kind = 'record_reminder'")
    _message_kinds(OLD_KINDS)
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_column('record_reminder_at')

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_state'))
        batch_op.drop_index(batch_op.f('ix_task_family_member_id'))
        batch_op.drop_index(batch_op.f('ix_task_conference_id'))

    op.drop_table('task')

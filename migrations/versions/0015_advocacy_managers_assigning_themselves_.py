"""Advocacy managers assigning themselves after the start, with a reason

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:48:27.204840

A manager who gives themselves a child whose conference has started says why: the reason is
sealed on advocacy_self_assignment, beside a new audit action, self_assign.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The audit action is a VARCHAR with a CHECK constraint (portal.models.enums.db_enum), not a
# PostgreSQL enum type: a new value is a new constraint, as in 0011. "self_assign" is shorter
# than "sign_in_failed", so the column's length stays.
OLD_ACTIONS = "'view', 'create', 'update', 'delete', 'sign_in', 'sign_in_failed', 'sign_out', 'export'"
NEW_ACTIONS = OLD_ACTIONS + ", 'self_assign'"


def _audit_actions(actions):
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_event_audit_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_audit_event_audit_action"), f"action IN ({actions})")


def upgrade():
    _audit_actions(NEW_ACTIONS)
    op.create_table('advocacy_self_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('previous_advocate_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('audit_event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_event_id'], ['audit_event.id'], name=op.f('fk_advocacy_self_assignment_audit_event_id_audit_event'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['manager_id'], ['staff_user.id'], name=op.f('fk_advocacy_self_assignment_manager_id_staff_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['previous_advocate_id'], ['staff_user.id'], name=op.f('fk_advocacy_self_assignment_previous_advocate_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['advocacy_referral.id'], name=op.f('fk_advocacy_self_assignment_referral_id_advocacy_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advocacy_self_assignment')),
    sa.UniqueConstraint('audit_event_id', name=op.f('uq_advocacy_self_assignment_audit_event_id'))
    )
    with op.batch_alter_table('advocacy_self_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advocacy_self_assignment_referral_id'), ['referral_id'], unique=False)


def downgrade():
    # The reasons go with their table; the events, which the old constraint would refuse, are
    # kept as the plain change of advocate they also were.
    with op.batch_alter_table('advocacy_self_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advocacy_self_assignment_referral_id'))

    op.drop_table('advocacy_self_assignment')
    op.execute(
        "UPDATE audit_event SET action = 'update', fields = 'advocate_id' WHERE action = 'self_assign'"
    )
    _audit_actions(OLD_ACTIONS)

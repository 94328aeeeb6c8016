"""Merging two records of one person

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 16:30:00.000000

person_merge keeps, sealed, what the removed record held when an admin merges two records of
one person (portal/people/merge.py); the audit log gains the action "merge". The downgrade drops
the table and writes the merge events as the updates they also were.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# The audit action is a VARCHAR with a CHECK constraint, as in 0011 and 0015. "merge" is
# shorter than "sign_in_failed", so the column's length stays.
OLD_ACTIONS = (
    "'view', 'create', 'update', 'delete', 'sign_in', 'sign_in_failed', 'sign_out', 'export', "
    "'self_assign'"
)
NEW_ACTIONS = OLD_ACTIONS + ", 'merge'"


def _audit_actions(actions):
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_event_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_event_audit_action"), f"action IN ({actions})"
        )


def upgrade():
    _audit_actions(NEW_ACTIONS)
    op.create_table(
        "person_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("removed_id", sa.Integer(), nullable=False),
        sa.Column("removed_record", sa.Text(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "record_type IN ('child', 'family_member')",
            name=op.f("ck_person_merge_person_record_type"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_by_id"],
            ["staff_user.id"],
            name=op.f("fk_person_merge_merged_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge")),
    )
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_merge_removed_id"), ["removed_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_merge_removed_id"))
        batch_op.drop_index(batch_op.f("ix_person_merge_kept_id"))
    op.drop_table("person_merge")
    op.execute("UPDATE audit_event SET action = 'update' WHERE action = 'merge'")
    _audit_actions(OLD_ACTIONS)

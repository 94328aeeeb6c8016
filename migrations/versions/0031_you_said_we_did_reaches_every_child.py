"""You said, we did reaches every child

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 19:15:00.000000

The chair's "You said, we did" note is now shown on the young person's own link (or their
helper's), told of by a message of its own kind. conference_child keeps that message (once per
child) and when the note was first opened. The downgrade deletes the messages of the new kind
(and their wording) first: the old CHECK constraints have no room for them.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'views_invitation', 'views_reminder', 'feedback_invitation', 'feedback_reminder', "
    "'rating_thanks', 'check_code', 'safeguarding_alert', 'record_reminder'"
)
NEW_KINDS = OLD_KINDS + ", 'you_said_we_did'"


def _message_kinds(kinds):
    """By hand: autogenerate does not compare CHECK constraints."""
    for table, name in (("message", "message_kind"), ("message_wording", "wording_kind")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), f"kind IN ({kinds})")


def upgrade():
    _message_kinds(NEW_KINDS)
    with op.batch_alter_table("conference_child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("you_said_we_did_message_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("you_said_we_did_opened_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_conference_child_you_said_we_did_message_id_message"),
            "message",
            ["you_said_we_did_message_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("conference_child", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_conference_child_you_said_we_did_message_id_message"),
            type_="foreignkey",
        )
        batch_op.drop_column("you_said_we_did_opened_at")
        batch_op.drop_column("you_said_we_did_message_id")
    for table in ("message", "message_wording"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind = 'you_said_we_did'"))
    _message_kinds(OLD_KINDS)

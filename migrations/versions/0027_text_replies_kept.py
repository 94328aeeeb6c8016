"""Every text reply is kept

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 19:00:00.000000

text_reply keeps each text message reply other than STOP and START (portal/messaging/replies.py):
its words sealed at rest (a Fernet token in a plain text column), when it came, the person and
the link it is held against (neither, from a number nobody has), the rating it gave and the
safety alert it raised. Until now such replies were dropped. The downgrade drops the table.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "text_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_member_id", sa.Integer(), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("safety_alert_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_text_reply_rating_1_to_5")),
        sa.ForeignKeyConstraint(
            ["family_member_id"],
            ["family_member.id"],
            name=op.f("fk_text_reply_family_member_id_family_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_text_reply_invitation_id_invitation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["safety_alert_id"],
            ["safety_alert.id"],
            name=op.f("fk_text_reply_safety_alert_id_safety_alert"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_reply")),
    )
    with op.batch_alter_table("text_reply", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_text_reply_family_member_id"), ["family_member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_text_reply_invitation_id"), ["invitation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_text_reply_received_at"), ["received_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("text_reply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_reply_received_at"))
        batch_op.drop_index(batch_op.f("ix_text_reply_invitation_id"))
        batch_op.drop_index(batch_op.f("ix_text_reply_family_member_id"))
    op.drop_table("text_reply")

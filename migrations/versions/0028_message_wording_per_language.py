"""Message wording per language

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 19:00:00.000000

An admin's wording of a message was one per kind and channel, in English; it is now one per
kind, channel and language. The wording already kept becomes English ("en"). The downgrade
deletes the wording of every other language first (it has nowhere to go), then puts the old
uniqueness back.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

message_wording = sa.table("message_wording", sa.column("language", sa.String))


def upgrade():
    with op.batch_alter_table("message_wording", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )
        batch_op.drop_constraint("uq_message_wording_kind_channel", type_="unique")
        batch_op.create_unique_constraint(
            "uq_message_wording_kind_channel_language", ["kind", "channel", "language"]
        )


def downgrade():
    op.execute(message_wording.delete().where(message_wording.c.language != "en"))
    with op.batch_alter_table("message_wording", schema=None) as batch_op:
        batch_op.drop_constraint("uq_message_wording_kind_channel_language", type_="unique")
        batch_op.create_unique_constraint("uq_message_wording_kind_channel", ["kind", "channel"])
        batch_op.drop_column("language")

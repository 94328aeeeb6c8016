"""Provider callbacks are heard once

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 20:00:00.000000

early_callback keeps the message id a Notify receipt names (its "reference"), so a send that
timed out although Notify took it is recorded as sent with the receipt instead of being sent
again (portal/messaging/worker.py). text_reply keeps the provider's id for the text (Notify's
inbound id, Twilio's MessageSid), unique, so a callback the provider repeats keeps one reply and
raises one alert. Both columns are nullable: rows kept before have neither. The downgrade drops
them.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("early_callback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_early_callback_reference"), ["reference"], unique=False
        )
    with op.batch_alter_table("text_reply", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_message_id", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_text_reply_provider_message_id"), ["provider_message_id"]
        )


def downgrade():
    with op.batch_alter_table("text_reply", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_text_reply_provider_message_id"), type_="unique")
        batch_op.drop_column("provider_message_id")
    with op.batch_alter_table("early_callback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_early_callback_reference"))
        batch_op.drop_column("reference")

"""Children draw in each house of the Three Houses

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 21:40:00.000000

drawing holds one PNG a child drew for one answer (good things, worries, wishes): the file
itself is cleaned and sealed like an advocate's attachment and kept in ATTACHMENT_DIR under
storage_name; the row keeps its size and keyed HMAC. Deleting the answer deletes the row. The
downgrade drops the table (the files stay on disk, sealed, and no row points at them).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "drawing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("content_hmac", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_drawing_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drawing")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_drawing_answer_id")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_drawing_storage_name")),
    )


def downgrade():
    op.drop_table("drawing")

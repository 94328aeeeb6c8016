"""The annual report's comparators, child population and manager's words

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 19:20:00.000000

annual_comparator holds other areas' figures per measure and financial year with their source;
annual_child_population the children aged 0-17 per year with its source (rates per 10,000);
annual_text each saved version of the manager's sections, sealed at rest. The downgrade drops
the three tables.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def _staff(table, column):
    return sa.ForeignKeyConstraint(
        [column],
        ["staff_user.id"],
        name=op.f(f"fk_{table}_{column}_staff_user"),
        ondelete="SET NULL",
    )


def upgrade():
    op.create_table(
        "annual_comparator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Numeric(precision=12, scale=1), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        _staff("annual_comparator", "entered_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_comparator")),
        sa.UniqueConstraint(
            "measure", "year", "area", name=op.f("uq_annual_comparator_measure_year_area")
        ),
    )
    op.create_table(
        "annual_child_population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        _staff("annual_child_population", "entered_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_child_population")),
        sa.UniqueConstraint("year", name=op.f("uq_annual_child_population_year")),
    )
    op.create_table(
        "annual_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        _staff("annual_text", "edited_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_text")),
    )
    with op.batch_alter_table("annual_text", schema=None) as batch_op:
        batch_op.create_index("ix_annual_text_year_section", ["year", "section"], unique=False)


def downgrade():
    with op.batch_alter_table("annual_text", schema=None) as batch_op:
        batch_op.drop_index("ix_annual_text_year_section")
    op.drop_table("annual_text")
    op.drop_table("annual_child_population")
    op.drop_table("annual_comparator")

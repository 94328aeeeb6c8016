"""A family member's language code is one the portal knows

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 16:40:00.000000

family_member.language_code holds a code from RecordedLanguage ("en", "pl", ...) or "other";
until now only the forms kept it so. A CHECK constraint now holds it in the database too. A code
outside the list (none is expected) becomes "other" first, its name kept in language, so the
page language falls back to English and the name typed is still shown. The downgrade drops the
constraint only.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# As portal.models.RecordedLanguage was when this was written.
CODES = ("en", "pl", "ro", "ur", "pa", "bn", "ar", "lt", "pt", "other")

family_member = sa.table("family_member", sa.column("language_code", sa.String))


def upgrade():
    op.execute(
        family_member.update()
        .where(family_member.c.language_code.not_in(CODES))
        .values(language_code="other")
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_family_member_recorded_language"),
            "language_code IN ({})".format(", ".join(f"'{code}'" for code in CODES)),
        )


def downgrade():
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_family_member_recorded_language"), type_="check")

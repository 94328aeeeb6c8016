"""A word agreed with the person, as a second check that needs one channel only

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 19:20:00.000000

family_member.second_check gets a third value, "agreed_word" (its column widened from the four
characters "none" and "code" needed, and its CHECK constraint written out again by hand:
autogenerate does not compare CHECK constraints). The word is kept as an Argon2id hash, sealed,
in agreed_word_hash; a CHECK constraint holds that the word is asked for only where one is set.
Tries at the word count in invitation.code_attempts, as tries at a code do. The downgrade turns
the word back into no second check (the hash has nowhere to go), then drops what came here.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

OLD_CHECKS = "'none', 'code'"
NEW_CHECKS = OLD_CHECKS + ", 'agreed_word'"

family_member = sa.table("family_member", sa.column("second_check", sa.String))


def _second_checks(checks, length):
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_family_member_second_check"), type_="check")
        batch_op.alter_column(
            "second_check",
            existing_type=sa.String(length=11 if length == 4 else 4),
            type_=sa.String(length=length),
            existing_nullable=False,
            existing_server_default="none",
        )
        batch_op.create_check_constraint(
            op.f("ck_family_member_second_check"), f"second_check IN ({checks})"
        )


def upgrade():
    _second_checks(NEW_CHECKS, 11)
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreed_word_hash", sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_family_member_agreed_word_set"),
            "second_check <> 'agreed_word' OR agreed_word_hash IS NOT NULL",
        )


def downgrade():
    op.execute(
        family_member.update()
        .where(family_member.c.second_check == "agreed_word")
        .values(second_check="none")
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_family_member_agreed_word_set"), type_="check")
        batch_op.drop_column("agreed_word_hash")
    _second_checks(OLD_CHECKS, 4)

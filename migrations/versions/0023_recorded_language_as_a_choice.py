"""A family member's language as a choice, and an interpreter need of its own

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 10:00:00.000000

family_member.language was free text, and only the exact words "Polish" or "polski" gave
Polish pages: "Polish (interpreter)" and "PL" stayed English. Now language_code is the choice
("en", "pl", ... or "other"), language its English name (or the name typed for "other"), and
interpreter_needed its own field. Until now any language but English made an interpreter task,
so every non-English value, and any mentioning an interpreter, gets interpreter_needed: no
task changes. The downgrade keeps the name in language.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# As portal.models.RecordedLanguage was when this was written: code -> English name.
KNOWN = {
    "en": "English",
    "pl": "Polish",
    "ro": "Romanian",
    "ur": "Urdu",
    "pa": "Punjabi",
    "bn": "Bengali",
    "ar": "Arabic",
    "lt": "Lithuanian",
    "pt": "Portuguese",
}
BY_NAME = {name.lower(): code for code, name in KNOWN.items()} | {
    "polski": "pl",
    "română": "ro",
    "romana": "ro",
    "lietuvių": "lt",
    "português": "pt",
    "portugues": "pt",
}

family_member = sa.table(
    'family_member',
    sa.column('id', sa.Integer),
    sa.column('language', sa.String),
    sa.column('language_code', sa.String),
    sa.column('interpreter_needed', sa.Boolean),
)


def choice(typed):
    """(code, name, interpreter_needed) for a free-text language."""
    text = (typed or "").strip()
    folded = text.casefold()
    interpreter = "interpret" in folded
    # The name without a note such as "(interpreter)" or "- needs interpreter"
    word = re.split(r"[^\w]+", folded, maxsplit=1)[0] if folded else ""
    if folded in {"", "english"} or (word == "english" and not interpreter):
        return "en", "English", False
    if folded == "pl" or word in {"polish", "polski"}:
        code = "pl"
    else:
        code = BY_NAME.get(folded) or BY_NAME.get(word) or (folded if folded in KNOWN else None)
    if code is None:
        return "other", text[:60], True
    return code, KNOWN[code], code != "en" or interpreter


def upgrade():
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language_code', sa.String(length=8), server_default='en', nullable=False)
        )
        batch_op.add_column(
            sa.Column('interpreter_needed', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    connection = op.get_bind()
    for member_id, typed in connection.execute(
        sa.select(family_member.c.id, family_member.c.language)
    ).all():
        code, name, interpreter = choice(typed)
        connection.execute(
            family_member.update()
            .where(family_member.c.id == member_id)
            .values(language_code=code, language=name, interpreter_needed=interpreter)
        )


def downgrade():
    # The name stays in language: the old code made an interpreter task from any but English.
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_column('interpreter_needed')
        batch_op.drop_column('language_code')

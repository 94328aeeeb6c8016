"""Views and feedback given another way, entered by staff

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 12:28:46.184288

An invitation of its own kind, with no link: entry_route (phone, paper, in person at the meeting,
through an interpreter) and entered_by_id. It is never sent and is revoked as it is made; one per
person, conference and form.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

ROUTES = "'phone', 'paper', 'in_person', 'interpreter'"


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_route', sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.create_index('uq_invitation_entered', ['conference_id', 'family_member_id', 'form'], unique=True, sqlite_where=sa.text('entry_route IS NOT NULL'), postgresql_where=sa.text('entry_route IS NOT NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_invitation_entered_by_id_staff_user'), 'staff_user', ['entered_by_id'], ['id'], ondelete='RESTRICT')
        # By hand: autogenerate does not compare CHECK constraints.
        batch_op.create_check_constraint(op.f('ck_invitation_entry_route'), f"entry_route IN ({ROUTES})")
        batch_op.create_check_constraint(
            op.f('ck_invitation_entered_with_route'), "(entry_route IS NULL) = (entered_by_id IS NULL)"
        )
        batch_op.create_check_constraint(
            op.f('ck_invitation_entered_never_sent'),
            "entry_route IS NULL OR (sent_at IS NULL AND revoked_at IS NOT NULL)",
        )


def downgrade():
    op.execute("DELETE FROM invitation WHERE entry_route IS NOT NULL")
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invitation_entered_never_sent'), type_='check')
        batch_op.drop_constraint(op.f('ck_invitation_entered_with_route'), type_='check')
        batch_op.drop_constraint(op.f('ck_invitation_entry_route'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_invitation_entered_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_index('uq_invitation_entered', sqlite_where=sa.text('entry_route IS NOT NULL'), postgresql_where=sa.text('entry_route IS NOT NULL'))
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('entry_route')

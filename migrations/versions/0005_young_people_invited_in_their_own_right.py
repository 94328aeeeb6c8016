"""Young people invited in their own right

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 03:15:47.675090

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OLD_RELATIONSHIPS = "'mother', 'father', 'parental_responsibility', 'carer', 'other_family'"
NEW_RELATIONSHIPS = OLD_RELATIONSHIPS + ", 'young_person'"


def upgrade():
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_family_member_child_id'), ['child_id'])
        batch_op.create_foreign_key(batch_op.f('fk_family_member_child_id_child'), 'child', ['child_id'], ['id'], ondelete='CASCADE')
        # By hand: autogenerate does not compare CHECK constraints.
        batch_op.drop_constraint(op.f('ck_family_member_relationship'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_family_member_relationship'), f"relationship IN ({NEW_RELATIONSHIPS})"
        )
        batch_op.create_check_constraint(
            op.f('ck_family_member_young_person_is_a_child'),
            "(relationship = 'young_person') = (child_id IS NOT NULL)",
        )


def downgrade():
    op.execute("DELETE FROM family_member WHERE relationship = 'young_person'")
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_family_member_young_person_is_a_child'), type_='check')
        batch_op.drop_constraint(op.f('ck_family_member_relationship'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_family_member_relationship'), f"relationship IN ({OLD_RELATIONSHIPS})"
        )
        batch_op.drop_constraint(batch_op.f('fk_family_member_child_id_child'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_family_member_child_id'), type_='unique')
        batch_op.drop_column('child_id')

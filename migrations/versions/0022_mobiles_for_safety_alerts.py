"""Mobiles for safety alerts: a member of staff's own, and the conference's social worker's

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 13:50:00.000000

A safety alert is texted "where a mobile is known": staff_user.mobile (set by the person on
their account page) for the chair, conference.social_worker_mobile for the social worker. Both
in E.164, as family_member.mobile.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=16), nullable=True))
        # By hand: autogenerate does not compare CHECK constraints.
        batch_op.create_check_constraint(op.f('ck_staff_user_mobile_e164'), "mobile IS NULL OR mobile LIKE '+%'")

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('social_worker_mobile', sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_conference_social_worker_mobile_e164'),
            "social_worker_mobile IS NULL OR social_worker_mobile LIKE '+%'",
        )


def downgrade():
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conference_social_worker_mobile_e164'), type_='check')
        batch_op.drop_column('social_worker_mobile')

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_user_mobile_e164'), type_='check')
        batch_op.drop_column('mobile')

"""Temporary passwords expire

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:00:00.000000

"""
import os
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('temporary_password_expires_at', sa.DateTime(timezone=True), nullable=True)
        )
    # Temporary passwords given before this revision had no end: they get the usual time from
    # now (TEMPORARY_PASSWORD_HOURS, as config.py reads it), not an end already passed.
    hours = int(os.environ.get('TEMPORARY_PASSWORD_HOURS', '72'))
    staff_user = sa.table(
        'staff_user',
        sa.column('must_change_password', sa.Boolean()),
        sa.column('temporary_password_expires_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        staff_user.update()
        .where(staff_user.c.must_change_password == sa.true())
        .values(temporary_password_expires_at=datetime.now(UTC) + timedelta(hours=hours))
    )


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('temporary_password_expires_at')

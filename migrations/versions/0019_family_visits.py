"""Family visits kept on the server

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 12:50:00.000000

"Exit this page", "Finish for now" and the idle time-out end the visit here, so a copy of the
family's cookie taken earlier stops working too (as staff_session does for staff, 0013).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('family_visit',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_family_visit_invitation_id_invitation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_family_visit'))
    )
    with op.batch_alter_table('family_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_visit_invitation_id'), ['invitation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('family_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_visit_invitation_id'))

    op.drop_table('family_visit')

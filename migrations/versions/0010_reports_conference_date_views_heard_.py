"""Reports: conference date, views heard, imported history

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 09:02:03.024092

"""
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_CHECK = "conference_type <> 'initial' OR section_47_started_on IS NOT NULL"
NEW_CHECK = OLD_CHECK + " OR imported"
LONDON = ZoneInfo("Europe/London")

conference = sa.table(
    "conference",
    sa.column("id", sa.Integer),
    sa.column("starts_at", sa.DateTime(timezone=True)),
    sa.column("conference_date", sa.Date),
)
adult = sa.table(
    "conference_adult",
    sa.column("conference_id", sa.Integer),
    sa.column("family_member_id", sa.Integer),
    sa.column("attendance", sa.String),
    sa.column("views_routes", sa.JSON),
    sa.column("views_heard", sa.Boolean),
)


def _fill_in(connection):
    """Dates from the start times (London dates), and "views heard" for recorded adults."""
    for row in connection.execute(sa.select(conference.c.id, conference.c.starts_at)).all():
        starts_at = row.starts_at
        if starts_at.tzinfo is None:  # SQLite hands back naive UTC
            starts_at = starts_at.replace(tzinfo=ZoneInfo("UTC"))
        connection.execute(
            conference.update()
            .where(conference.c.id == row.id)
            .values(conference_date=starts_at.astimezone(LONDON).date())
        )
    recorded = sa.select(adult).where(adult.c.attendance.is_not(None))
    for row in connection.execute(recorded).all():
        heard = row.attendance in ("part", "whole") or bool(row.views_routes)
        connection.execute(
            adult.update()
            .where(
                adult.c.conference_id == row.conference_id,
                adult.c.family_member_id == row.family_member_id,
            )
            .values(views_heard=heard)
        )


def upgrade():
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_child_external_ref'), ['external_ref'])

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conference_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('imported', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('external_ref', sa.String(length=60), nullable=True))
        batch_op.create_index(batch_op.f('ix_conference_conference_date'), ['conference_date'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_conference_external_ref'), ['external_ref'])

    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('views_heard', sa.Boolean(), nullable=True))

    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_family_member_external_ref'), ['external_ref'])

    _fill_in(op.get_bind())
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.alter_column('conference_date', existing_type=sa.Date(), nullable=False)
        # By hand: autogenerate does not compare CHECK constraints.
        batch_op.drop_constraint(op.f('ck_conference_initial_has_section_47_date'), type_='check')
        batch_op.create_check_constraint(op.f('ck_conference_initial_has_section_47_date'), NEW_CHECK)


def downgrade():
    op.execute("DELETE FROM conference WHERE imported")
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conference_initial_has_section_47_date'), type_='check')
        batch_op.create_check_constraint(op.f('ck_conference_initial_has_section_47_date'), OLD_CHECK)
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_family_member_external_ref'), type_='unique')
        batch_op.drop_column('external_ref')

    with op.batch_alter_table('conference_adult', schema=None) as batch_op:
        batch_op.drop_column('views_heard')

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_conference_external_ref'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_conference_conference_date'))
        batch_op.drop_column('external_ref')
        batch_op.drop_column('imported')
        batch_op.drop_column('conference_date')

    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_child_external_ref'), type_='unique')
        batch_op.drop_column('external_ref')

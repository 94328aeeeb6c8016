"""Plans as records, each child's own section 47 date, reasons for delay, and the case-record
export's time

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 16:00:00.000000

child_plan holds each child's plans, derived from the outcomes recorded at their held
conferences in date order (the rules of portal/plans/services.py, repeated here because a
migration must not import the app): existing records, imported history included, get their
plans. conference_child.section_47_started_on starts as its conference's date. The downgrade
drops them (the outcomes they came from stay on conference_child).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

CATEGORIES = ('neglect', 'emotional', 'physical', 'sexual')
OUTCOMES = (
    'no_plan', 'started', 'continued', 'ended_child_in_need', 'ended_looked_after', 'transferred'
)
ENDINGS = ('ended_child_in_need', 'ended_looked_after', 'transferred')
DELAY_REASONS = (
    'quoracy', 'chair_unavailable', 'social_worker_unavailable', 'family_request', 'other'
)


def _one_of(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _derive(history):
    """Plan rows from one child's (child_id, conference_id, held, outcome, category) in order."""
    plans, current = [], None
    for child_id, conference_id, held, outcome, category in history:
        if outcome in ('started', 'continued') and current is None:
            if category is None:
                continue
            current = {
                'child_id': child_id,
                'category': category,
                'started_on': held,
                'started_conference_id': conference_id,
                'ended_on': None,
                'ended_conference_id': None,
                'end_outcome': None,
            }
            plans.append(current)
        elif outcome in ENDINGS and current is not None:
            current.update(ended_on=held, ended_conference_id=conference_id, end_outcome=outcome)
            current = None
    return plans


def upgrade():
    plan = op.create_table(
        'child_plan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=9), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('started_conference_id', sa.Integer(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('ended_conference_id', sa.Integer(), nullable=True),
        sa.Column('end_outcome', sa.String(length=19), nullable=True),
        sa.CheckConstraint(
            '(ended_on IS NULL) = (end_outcome IS NULL)',
            name=op.f('ck_child_plan_ended_with_outcome'),
        ),
        sa.CheckConstraint(
            'end_outcome IS NULL OR ' + _one_of('end_outcome', ENDINGS),
            name=op.f('ck_child_plan_end_outcome_ends'),
        ),
        sa.CheckConstraint(
            'ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_child_plan_ends_after_start')
        ),
        sa.CheckConstraint(_one_of('category', CATEGORIES), name=op.f('ck_child_plan_harm_category')),
        sa.CheckConstraint(_one_of('end_outcome', OUTCOMES), name=op.f('ck_child_plan_plan_outcome')),
        sa.ForeignKeyConstraint(
            ['child_id'], ['child.id'], name=op.f('fk_child_plan_child_id_child'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['started_conference_id'], ['conference.id'],
            name=op.f('fk_child_plan_started_conference_id_conference'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['ended_conference_id'], ['conference.id'],
            name=op.f('fk_child_plan_ended_conference_id_conference'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_child_plan')),
    )
    with op.batch_alter_table('child_plan', schema=None) as batch_op:
        for column in ('child_id', 'started_on', 'started_conference_id', 'ended_on',
                       'ended_conference_id'):
            batch_op.create_index(batch_op.f(f'ix_child_plan_{column}'), [column], unique=False)

    with op.batch_alter_table('conference_child', schema=None) as batch_op:
        batch_op.add_column(sa.Column('section_47_started_on', sa.Date(), nullable=True))
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delay_reason', sa.String(length=25), nullable=True))
        batch_op.add_column(
            sa.Column('delay_reason_detail', sa.Text(), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('record_exported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_conference_delay_reason'), _one_of('delay_reason', DELAY_REASONS)
        )

    op.execute(
        "UPDATE conference_child SET section_47_started_on = (SELECT section_47_started_on "
        "FROM conference WHERE conference.id = conference_child.conference_id)"
    )
    # Typed columns: SQLite hands back dates as text, which the Date column would refuse.
    rows = op.get_bind().execute(sa.text(
        "SELECT cc.child_id, c.id, c.conference_date, cc.plan_outcome, cc.harm_category "
        "FROM conference_child cc JOIN conference c ON c.id = cc.conference_id "
        "WHERE c.status = 'held' ORDER BY cc.child_id, c.conference_date, c.id"
    ).columns(sa.column('child_id', sa.Integer), sa.column('id', sa.Integer),
              sa.column('conference_date', sa.Date), sa.column('plan_outcome', sa.String),
              sa.column('harm_category', sa.String))).all()
    by_child = {}
    for row in rows:
        by_child.setdefault(row[0], []).append(tuple(row))
    plans = [p for history in by_child.values() for p in _derive(history)]
    if plans:
        op.bulk_insert(plan, plans)


def downgrade():
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conference_delay_reason'), type_='check')
        batch_op.drop_column('record_exported_at')
        batch_op.drop_column('delay_reason_detail')
        batch_op.drop_column('delay_reason')
    with op.batch_alter_table('conference_child', schema=None) as batch_op:
        batch_op.drop_column('section_47_started_on')
    op.drop_table('child_plan')

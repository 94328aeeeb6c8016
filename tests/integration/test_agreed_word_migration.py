"""Migration 0029: the agreed word, down and up again."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import SecondCheck
from portal.people.agreed_word import hash_word
from tests.factories import add_family_member, make_conference
from tests.integration.test_migrations import _differences, _raw, _revision_of


def test_a_word_check_downgrades_to_no_check_and_upgrades_again() -> None:
    revision = _revision_of("A word agreed with the person")
    conference = make_conference()
    add_family_member(
        conference, first_name="Coded", email="c@example.com", second_check=SecondCheck.CODE
    )
    add_family_member(
        conference,
        first_name="Worded",
        second_check=SecondCheck.AGREED_WORD,
        agreed_word_hash=hash_word("blue kettle"),
    )
    db.session.remove()

    downgrade(revision=revision.down_revision)
    assert _raw("SELECT first_name, second_check FROM family_member ORDER BY id") == [
        ("Coded", "code"),
        ("Worded", "none"),
    ]
    upgrade()
    assert _differences() == []
    # The word is asked for only where one is set.
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE family_member SET second_check = 'agreed_word' WHERE first_name = 'Coded'"
        )

"""Closed vocabularies: every one is a LabelledEnum, its members the strings stored."""

from __future__ import annotations

import enum

from flask import Flask
from flask_babel import force_locale

from portal.models import enums
from portal.models.enums import LabelledEnum, ParticipationCode, Relationship, Role, SecondCheck

VOCABULARIES = [
    value
    for value in vars(enums).values()
    if isinstance(value, type) and issubclass(value, enum.Enum) and value is not LabelledEnum
]


def test_every_vocabulary_is_labelled_every_member_in_words() -> None:
    assert len(VOCABULARIES) == 25  # DelayReason (issue 14)
    for vocabulary in VOCABULARIES:
        assert issubclass(vocabulary, LabelledEnum), vocabulary
        for member in vocabulary:
            assert isinstance(member.label, str), member
            assert member.label, member
            assert member.label != member.value or member.value.startswith("CP"), member


def test_a_member_is_its_value_as_stored_and_as_compared() -> None:
    assert Role.CHAIR == "chair"
    assert Role("chair") is Role.CHAIR
    assert (Role.CHAIR.value, str(Role.CHAIR), f"{Role.CHAIR}") == ("chair", "chair", "chair")
    assert Role.CHAIR.label == "Independent chair"


def test_choices_are_every_member_or_those_given_in_order_labelled_when_shown(
    app: Flask,
) -> None:
    assert [value for value, _ in Relationship.choices()] == [r.value for r in Relationship]
    few = ParticipationCode.choices([ParticipationCode.CP2, ParticipationCode.CP1])
    assert [(value, str(label)) for value, label in few] == [
        ("CP2", "CP2: attended; an advocate or the chair spoke for them"),
        ("CP1", "CP1: attended and spoke for themselves"),
    ]
    [(_, lazy)] = SecondCheck.choices([SecondCheck.NONE])
    with app.test_request_context(), force_locale("pl"):
        assert (str(lazy), SecondCheck.NONE.label) == ("Nie", "Nie")  # translated when shown
    assert str(lazy) == "No"

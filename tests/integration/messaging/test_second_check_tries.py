"""The tries at a link's second check (a code or the agreed word): counted by the database,
whatever the session has loaded, and saved with the answer in one commit."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.invitations.services import (
    check_code,
    check_word,
    issue_invitation,
    send_check_code,
    too_many_tries,
)
from portal.link_tokens import code_for
from portal.models import FormKind, Invitation, SecondCheck, utcnow
from portal.people.agreed_word import hash_word
from tests.factories import add_contactable_member, make_conference

WORD = "Blue Kettle"


def _link(**fields: object) -> Invitation:
    conference = make_conference()
    member = add_contactable_member(conference, **fields)
    invitation = issue_invitation(conference, member, FormKind.VIEWS)
    db.session.commit()
    return invitation


def _tried_elsewhere(invitation: Invitation, tries: int) -> None:
    """Tries another request counted: in the database, not in the loaded invitation."""
    assert invitation.code_attempts == 0  # loaded
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(code_attempts=tries)
        .execution_options(synchronize_session=False)
    )


def _tries(invitation: Invitation) -> int | None:
    return db.session.scalar(select(Invitation.code_attempts).where(Invitation.id == invitation.id))


def _commits(call: Callable[[], object]) -> tuple[object, int]:
    commits: list[Session] = []

    def counted(session: Session) -> None:
        commits.append(session)

    event.listen(Session, "after_commit", counted)
    try:
        answer = call()
    finally:
        event.remove(Session, "after_commit", counted)
    return answer, len(commits)


def test_the_word_s_tries_are_the_database_s_and_saved_with_the_answer() -> None:
    invitation = _link(second_check=SecondCheck.AGREED_WORD, agreed_word_hash=hash_word(WORD))
    _tried_elsewhere(invitation, 3)
    answer, commits = _commits(lambda: check_word(invitation, "red kettle"))
    assert answer == "That is not the word agreed with you. You have 1 more try."
    assert (commits, _tries(invitation)) == (1, 4)


def test_the_right_word_starts_the_count_again_though_the_session_says_0() -> None:
    invitation = _link(second_check=SecondCheck.AGREED_WORD, agreed_word_hash=hash_word(WORD))
    _tried_elsewhere(invitation, 3)
    answer, commits = _commits(lambda: check_word(invitation, WORD))
    assert (answer, commits, _tries(invitation)) == (None, 1, 0)


def test_the_word_is_not_checked_once_the_tries_are_used_up_elsewhere() -> None:
    invitation = _link(second_check=SecondCheck.AGREED_WORD, agreed_word_hash=hash_word(WORD))
    _tried_elsewhere(invitation, 5)
    assert check_word(invitation, WORD) == too_many_tries()
    assert _tries(invitation) == 5


def test_the_code_s_tries_are_the_database_s_and_saved_with_the_answer() -> None:
    invitation = _link(email="jo@example.com", second_check=SecondCheck.CODE)
    send_check_code(invitation, utcnow())
    right = code_for(invitation.code_salt)
    wrong = "999999" if right != "999999" else "888888"
    _tried_elsewhere(invitation, 3)
    answer, commits = _commits(lambda: check_code(invitation, wrong, utcnow()))
    assert answer == "Enter the 6-digit code we sent you"
    assert (commits, _tries(invitation)) == (1, 4)

    answer, commits = _commits(lambda: check_code(invitation, right, utcnow()))
    assert (answer, commits, _tries(invitation)) == (None, 1, 5)  # the fifth try, and right
    assert invitation.code_salt is None  # used up, in the same commit
    assert check_code(invitation, right, utcnow()) == too_many_tries()

"""GOV.UK style: an optional question says "(optional)" in its label or legend, a required
one says nothing; the same in Polish and Romanian. Every question of every form, and every
"tell us more" box (always optional), in each language (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from portal.extensions import db
from portal.family_forms.questions import PARENT_VIEWS, QUESTIONNAIRES
from portal.invitations.services import issue_invitation
from portal.link_tokens import token_for
from portal.models import FormKind
from tests.factories import add_contactable_member, make_conference
from tests.pages import PageClient

MARKERS = {"en": "(optional)", "pl": "(jeśli chcesz)", "ro": "(dacă vrei)"}


@pytest.mark.parametrize("language", MARKERS)
def test_every_optional_question_and_only_those_say_so(app, language) -> None:
    marker = MARKERS[language]
    wrong = []
    with app.test_request_context(), force_locale(language):
        for questionnaire in QUESTIONNAIRES.values():
            for question in questionnaire.questions:
                where = f"{questionnaire.id}.{question.id}"
                label = str(question.label)
                if label.endswith(marker) == question.required:
                    wrong.append((where, label))
                if label.count(marker) > 1 or str(question.title).endswith(marker):
                    wrong.append((where, label))
                for other in MARKERS.values():
                    if other != marker and other in label:
                        wrong.append((where, label))
                if question.detail_label and not str(question.detail_label).endswith(marker):
                    wrong.append((where, str(question.detail_label)))
    assert wrong == []


def test_the_question_page_shows_the_marker_in_its_heading(client: PageClient) -> None:
    conference = make_conference(starts_in=timedelta(days=10))
    invitation = issue_invitation(conference, add_contactable_member(conference), FormKind.VIEWS)
    db.session.commit()
    client.submit(f"/r/{token_for(invitation.token_salt)}")
    client.submit("/your-say/start", on="/your-say/")
    optional = client.get("/your-say/q/going_well")
    assert optional.h1 == "What is going well for your family? (optional)"
    assert optional.title.startswith("What is going well for your family? (optional)")
    required = client.get("/your-say/q/why_meeting")
    assert required.h1 == str(PARENT_VIEWS.question("why_meeting").title)
    assert "optional" not in required.h1

"""The demo data shows what is waiting (issue 13): a call for the chair and an interpreter for
the coordinators on the featured conference still to come, and one held but not recorded."""

from __future__ import annotations

from sqlalchemy import select

from portal.demo.featured import FEATURED
from portal.extensions import db
from portal.models import Conference, Task, TaskKind, TaskState
from tests.pages import PageClient


def test_the_demo_has_tasks_and_an_unrecorded_conference(app, client: PageClient) -> None:
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0

    tasks = {
        (task.kind, task.detail)
        for task in db.session.scalars(select(Task).where(Task.state == TaskState.OPEN))
    }
    assert (TaskKind.SPEAK_TO_CHAIR, "") in tasks
    assert (TaskKind.INTERPRETER, "Polish") in tasks
    assert (TaskKind.ACCESS, "") in tasks  # the mother asked to bring a supporter

    chair = PageClient(app.test_client())
    chair.submit("/login", {"email": "chair@heard.example", "password": "heard-demo-chair"})
    home = chair.get("/worklist/chair")
    assert "Sarah Lockwood, mother" in home.text
    unrecorded = db.session.scalar(
        select(Conference).where(Conference.case_reference == FEATURED[1])
    )
    assert f"Record {unrecorded.case_reference}" in home.text

    coordinator = PageClient(app.test_client())
    coordinator.submit(
        "/login", {"email": "coordinator@heard.example", "password": "heard-demo-coordinator"}
    )
    needs = coordinator.get("/worklist/needs")
    assert "Arrange an interpreter for Polish" in needs.text

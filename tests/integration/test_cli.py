import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from config import TEST_DATA_KEY
from portal.demo.annual import EARLIER_YEARS
from portal.demo.conferences import CONFERENCES_IN_A_QUARTER
from portal.demo.featured import FEATURED
from portal.demo.plans import PLAN_PREFIX
from portal.extensions import db
from portal.models import Child, Conference, FamilyMember, Role, StaffUser
from portal.reports.sample_history import DEMO_CONFERENCES
from tests.pages import PageClient


def test_users_create_makes_an_account_that_can_sign_in(app, client: PageClient) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "Ann.Chair@Council.example", "--role", "chair"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created independent chair account for ann.chair@council.example" in result.output
    user = db.session.scalars(select(StaffUser)).one()
    assert user.role == Role.CHAIR
    page = client.submit(
        "/login", {"email": "ann.chair@council.example", "password": "a long enough password"}
    )
    assert page.location == "/"


def test_users_create_refuses_duplicates_short_passwords_and_unknown_roles(app) -> None:
    runner = app.test_cli_runner()

    def create(*extra: str, password: str = "a long enough password"):
        return runner.invoke(
            args=["users", "create", "--email", "a@council.example", *extra, "--password", password]
        )

    assert create("--role", "admin").exit_code == 0
    again = create("--role", "admin")
    assert again.exit_code == 1
    assert "already an account for a@council.example" in again.output
    short = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "b@council.example",
            "--role",
            "admin",
            "--password",
            "short",
        ]
    )
    assert "12 characters or more" in short.output
    assert create("--role", "superuser").exit_code == 2
    bad_email = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "not-an-email",
            "--role",
            "admin",
            "--password",
            "a long enough password",
        ]
    )
    assert "Enter a valid email address" in bad_email.output


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (StaffUser, Conference, Child, FamilyMember)
    )


def test_demo_loads_a_quarter_once_and_prints_sign_in_details(app, client: PageClient) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "coordinator@heard.example" in first.output
    assert "password: heard-demo-coordinator" in first.output
    after_first = _counts()
    staff, conferences, children, adults = after_first
    assert staff >= len(Role)
    # A quarter of invented conferences, a year of families' plans and reviews (how many
    # depends on today's date), a year of history imported from demo/, and the two years before
    # it for the annual report's trend
    year = db.session.scalar(
        select(func.count()).where(Conference.case_reference.startswith(PLAN_PREFIX))
    )
    assert year
    history = DEMO_CONFERENCES + sum(EARLIER_YEARS.values())
    assert conferences == CONFERENCES_IN_A_QUARTER + len(FEATURED) + year + history
    assert f"{conferences} conferences added" in first.output
    imported = db.session.scalar(select(func.count()).where(Conference.imported))
    assert imported == history
    assert children > conferences
    assert adults > conferences

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert "0 conferences added" in second.output
    assert _counts() == after_first

    roles = set(db.session.scalars(select(StaffUser.role)))
    assert roles == set(Role)
    page = client.submit(
        "/login", {"email": "coordinator@heard.example", "password": "heard-demo-coordinator"}
    )
    assert page.location == "/"


def test_demo_data_never_reaches_a_real_person(app) -> None:
    app.test_cli_runner().invoke(args=["demo"])
    mobiles = [m for m in db.session.scalars(select(FamilyMember.mobile)) if m]
    emails = [e for e in db.session.scalars(select(FamilyMember.email)) if e]
    assert mobiles
    assert all(m.startswith("+447700900") for m in mobiles)
    assert emails
    assert all(e.endswith("@example.com") for e in emails)


def test_demo_refuses_a_production_database(app) -> None:
    # Run as a person would, in a process of its own: the CLI runner would reuse the test app.
    environment = {
        **os.environ,
        "HEARD_CONFIG": "production",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "x" * 40,
        "DATA_ENCRYPTION_KEYS": TEST_DATA_KEY,
        "REDIS_URL": "redis://127.0.0.1:6379/0",  # production's shared rate-limit store
    }
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "flask", "demo"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "never loaded into a production database" in result.stderr
    assert _counts() == (0, 0, 0, 0)

"""Command-line tasks: ``flask users create``, ``flask demo`` and ``flask demo-links``."""

from __future__ import annotations

import signal
import time

import click
from flask import current_app
from flask.cli import AppGroup

from portal.auth.services import AccountError, create_staff_user
from portal.models import Role

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Their work email address; they sign in with it.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="Their role."
)
@click.option("--name", "full_name", default="", help="Their full name (default: the email).")
@click.password_option(
    "--password",
    envvar="HEARD_NEW_USER_PASSWORD",
    help="Asked for if not given (or set HEARD_NEW_USER_PASSWORD).",
)
def create_user(email: str, role: str, full_name: str, password: str) -> None:
    """Create a staff account."""
    try:
        user = create_staff_user(email, full_name or email, Role(role), password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {Role(role).label.lower()} account for {user.email}.")


@click.command("demo")
@click.option(
    "--load-only",
    is_flag=True,
    help="Print neither the accounts nor links: `make run` prints them once the app is up.",
)
def demo_command(load_only: bool) -> None:
    """Load demo staff and a quarter of invented conferences (safe to run twice)."""
    from portal.demo.load import load_demo_data

    _refuse_production()
    created = load_demo_data()
    click.echo(f"Demo data ready: {created} conferences added.")
    if not load_only:
        _print_accounts_and_links()


@click.command("demo-links")
@click.option(
    "--when-up",
    is_flag=True,
    help="Wait until the app answers at PUBLIC_BASE_URL, print, then stay until stopped "
    "(a process of Procfile.dev, which `make run` starts).",
)
def demo_links_command(when_up: bool) -> None:
    """Print the demo accounts and a new link for each family form (the earlier links stop)."""
    from portal.demo.load import demo_loaded

    _refuse_production()
    if when_up:  # before any query: no transaction left open while it waits
        _wait_until_up(current_app.config["PUBLIC_BASE_URL"])
    if not demo_loaded():
        raise click.ClickException("There is no demo data yet: run `flask demo` first.")
    _print_accounts_and_links()
    if when_up:
        signal.pause()  # honcho stops every process once one ends: this one waits to be stopped


def _refuse_production() -> None:
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is never loaded into a production database.")


def _wait_until_up(base_url: str, seconds: float = 60) -> None:
    """Until the app answers at the address the printed links point at."""
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status = requests.get(f"{base_url}/healthz", timeout=2).status_code
        except requests.RequestException:
            status = None
        if status == 200:
            return
        time.sleep(0.2)
    raise click.ClickException(f"Nothing answered at {base_url}/healthz within {seconds:.0f} s.")


def _print_accounts_and_links() -> None:
    from portal.demo.accounts import sign_in_details
    from portal.demo.family_links import issue_demo_family_links
    from portal.demo.load import demo_coordinator

    links = issue_demo_family_links(demo_coordinator())  # first, so the lines print together
    base_url = current_app.config["PUBLIC_BASE_URL"]
    click.echo(f"Sign in at {base_url}/login with one of these demo accounts:")
    for role, email, password in sign_in_details():
        click.echo(f"  {role.label:<22} {email:<38} password: {password}")
    click.echo("Try the family pages with these links (new ones each run; the old ones stop):")
    for link in links:
        click.echo(f"  {link.form:<34} {link.case_reference:<10} {link.url}")


@click.command("worker")
@click.option("--once", is_flag=True, help="Send everything due, then exit.")
@click.option("--concurrency", type=click.IntRange(1, 64), help="Messages sent at a time.")
def worker_command(once: bool, concurrency: int | None) -> None:
    """Send due messages from the outbox, and issue scheduled invitations, in a loop."""
    from portal.worker import run_worker

    # current_app is typed as the app itself; the worker threads need the app behind the proxy.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_worker(app, once=once, concurrency=concurrency)


@click.command("outbox")
@click.option("--limit", default=10, show_default=True, help="How many messages to show.")
def outbox_command(limit: int) -> None:
    """Show the newest messages, links included (development only)."""
    from portal.invitations.delivery import recent_messages
    from portal.messaging.wording import fill_placeholders

    if not current_app.config["SHOW_DEV_OUTBOX"]:
        raise click.ClickException("The outbox is only shown in development.")
    for message in reversed(recent_messages(limit)):
        click.echo(
            f"#{message.id} {message.kind.value} {message.channel.value} to "
            f"{message.to_address} [{message.status.value}]"
        )
        body = fill_placeholders(message.body_text, message.invitation)
        click.echo("    " + body.replace("\n", "\n    "))

"""Heard: the app factory. Wiring only; the work lives in the domain packages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.routing import IntegerConverter, Map

from config import Config, load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | str | None = None) -> Flask:
    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(config if isinstance(config, Config) else load_config(config))
    app.url_map.converters["int"] = DatabaseIntegerConverter

    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


class DatabaseIntegerConverter(IntegerConverter):
    """Ids in URLs fit the database's integers: a bigger number is simply not found (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - Werkzeug's name
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_templates(app: Flask) -> None:
    from portal import templating
    from portal.auth.access import can
    from portal.forms import error_summary

    # Both prefixes exactly so: the govuk-frontend-wtf widgets import the jinja macros by them.
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # Not govuk-frontend-wtf's WTFormsHelpers: its wtforms_errors links a date to its fieldset.
    app.add_template_global(error_summary)
    templating.init_app(app, can=can)


def register_extensions(app: Flask) -> None:
    from portal import assets, crypto, i18n, logs, proxy, security
    from portal.auth import access, cookie, time_limits
    from portal.extensions import compress, csrf, db, limiter, login_manager, migrate
    from portal.messaging import replies
    from portal.messaging.providers import build_providers
    from portal.safety.raising import alert_for_reply

    # First: every request gets its id before any other hook can answer early.
    logs.init_app(app)
    crypto.init_app(app)
    cookie.init_app(app)  # the session cookie sealed (encrypted), not only signed
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    # The access policy runs before CSRF, so an anonymous POST is sent to sign in, not told off.
    access.init_app(app)
    time_limits.init_app(app)  # what a page needs to warn before a time limit ends
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    # Pages are sent compressed (Brotli, else gzip): a family page's first view stays within its
    # 35 KB budget on a weak signal. Static files are served ahead of Flask, fingerprinted and
    # compressed at build time, and cached for good.
    compress.init_app(app)
    assets.init_app(app)
    # Providers are built once, from settings; the worker and the pages share them.
    app.extensions["messaging"] = build_providers(app.config)
    # A text reply using a danger word raises a safety alert: handed down, as messaging sits
    # below the safety domain (pyproject.toml's tiers).
    replies.init_app(app, raise_alert=alert_for_reply)
    # Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (only from
    # TRUSTED_PROXY_CIDRS when set), so request.url is the public URL (Twilio's signatures cover
    # it) and the rate limits see the client's address.
    proxy.init_app(app)


def register_blueprints(app: Flask) -> None:
    from portal.account.routes import bp as account_bp
    from portal.advocacy.routes import bp as advocacy_bp
    from portal.audit.routes import bp as audit_bp
    from portal.auth.routes import bp as auth_bp
    from portal.case_import.routes import bp as case_import_bp
    from portal.case_record.routes import bp as case_record_bp
    from portal.conferences.routes import bp as conferences_bp
    from portal.errors import init_app as init_error_pages
    from portal.family_forms.on_behalf_routes import bp as on_behalf_bp
    from portal.family_forms.routes import bp as family_forms_bp
    from portal.family_forms.staff_routes import bp as family_answers_bp
    from portal.family_forms.visit_routes import bp as family_visit_bp
    from portal.invitations.delivery_routes import bp as delivery_bp
    from portal.invitations.routes import bp as links_bp
    from portal.messaging.admin_wording import bp as wording_bp
    from portal.messaging.notify_webhooks import bp as notify_webhooks_bp
    from portal.messaging.webhooks import bp as webhooks_bp
    from portal.pack.routes import bp as pack_bp
    from portal.people.directory_routes import bp as directory_bp
    from portal.people.routes import bp as people_bp
    from portal.recording.routes import bp as recording_bp
    from portal.reports.routes import bp as reports_bp
    from portal.safety.routes import bp as safety_bp
    from portal.site.routes import bp as site_bp
    from portal.staff_admin.routes import bp as staff_admin_bp
    from portal.subject_access.routes import bp as subject_access_bp
    from portal.worklists.routes import bp as worklists_bp

    for blueprint in (
        site_bp,
        auth_bp,
        account_bp,
        conferences_bp,
        case_import_bp,
        people_bp,
        directory_bp,
        audit_bp,
        links_bp,
        family_forms_bp,
        family_visit_bp,
        delivery_bp,
        webhooks_bp,
        notify_webhooks_bp,
        wording_bp,
        family_answers_bp,
        on_behalf_bp,
        advocacy_bp,
        pack_bp,
        recording_bp,
        case_record_bp,
        safety_bp,
        reports_bp,
        subject_access_bp,
        staff_admin_bp,
        worklists_bp,
    ):
        app.register_blueprint(blueprint)
    init_error_pages(app)


def register_commands(app: Flask) -> None:
    from portal.case_import.cli import import_conferences_command
    from portal.cli import (
        demo_command,
        demo_links_command,
        outbox_command,
        users_cli,
        worker_command,
    )
    from portal.keys import keys_cli
    from portal.reports.cli import import_cli, report_cli
    from portal.retention import retention_cli
    from portal.subject_access.cli import subject_access_cli

    for command in (
        users_cli,
        demo_command,
        demo_links_command,
        worker_command,
        outbox_command,
        report_cli,
        import_cli,
        retention_cli,
        keys_cli,
        subject_access_cli,
    ):
        app.cli.add_command(command)
    import_cli.add_command(import_conferences_command)  # upcoming ones: above the reports' tier

"""Configuration, read from the environment.

Every default here is safe to publish: secrets only come from the environment (or, in
development, from a key generated into ``instance/``). ``HEARD_CONFIG`` picks the class;
``DATABASE_URL``, when set, wins in every configuration.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


class ConfigurationError(RuntimeError):
    """Raised at start-up when a required setting is missing."""


def _database_url(default: str | None) -> str | None:
    url = os.environ.get("DATABASE_URL") or default
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def engine_options(url: str | None) -> dict[str, object]:
    """SQLAlchemy's engine options for the database at ``url``.

    On PostgreSQL, psycopg 3 is told never to prepare statements on the server
    (``prepare_threshold=None``): it otherwise prepares a query on its fifth run on a connection,
    and PostgreSQL may then switch to a generic plan, one for any value of the parameters. The
    participation report's queries took three times as long with it (bench/report.py); unprepared,
    every run is planned for its own year and type.
    """
    options: dict[str, object] = {"pool_pre_ping": True}
    if url and make_url(url).drivername == "postgresql+psycopg":
        options["connect_args"] = {"prepare_threshold": None}
    return options


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


# What TEXT_REPLY_DANGER_WORDS is when not set: English, Polish, Romanian, Urdu.
DANGER_WORDS = (
    "scared, afraid, frightened, terrified, unsafe, not safe, danger, hurt, hurts, hurting, "
    "hit me, hits me, beat me, beats me, help me, kill, killing, killed, suicide, "
    "abuse, abused, "
    "boję się, boje sie, strach, pomocy, pomóż mi, pomoz mi, bije mnie, zabije, zabiję, "
    "krzywdzi, niebezpieczeństwo, niebezpieczenstwie, niebezpieczeństwie, "
    "mi-e frică, mi-e frica, frică, mi-e teamă, ajutor, ajutați-mă, ajutati-ma, pericol, "
    "mă bate, ma bate, mă omoară, ucide, nu sunt în siguranță, "
    "ڈر, خوف, خطرہ, خطرے, مدد, بچاؤ, مارتا, مارتی, مار دے, قتل"
)


def _development_data_keys() -> list[str]:
    """A per-checkout data encryption key kept in instance/, beside the development secret key."""
    from cryptography.fernet import Fernet

    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "data_keys"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return [key.strip() for key in key_file.read_text().split(",") if key.strip()]


def _development_secret_key() -> str:
    """A per-checkout key kept in instance/, so sessions survive a restart in development."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    SERVICE_NAME = "Heard"
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northshire Council")
    SERVICE_PHONE = os.environ.get("SERVICE_PHONE", "01632 960 000")
    SERVICE_EMAIL = os.environ.get("SERVICE_EMAIL", "heard@northshire.example")
    # The council's safeguarding line, shown to families beside 999
    SAFEGUARDING_PHONE = os.environ.get("SAFEGUARDING_PHONE", "01632 960 111")
    # Safety alerts (portal/safety): who is told at once besides the chair and the social worker
    # (the coordinators' team: email, and a text where a mobile is set, in E.164), who gets an
    # alert nobody has acknowledged after SAFETY_ALERT_ESCALATE_MINUTES (once), and the young
    # people's 0 to 10 "how safe do you feel at home" score at or below which an alert is raised.
    SAFEGUARDING_TEAM_EMAIL = os.environ.get(
        "SAFEGUARDING_TEAM_EMAIL", "conference-team@northshire.example"
    )
    SAFEGUARDING_TEAM_MOBILE = os.environ.get("SAFEGUARDING_TEAM_MOBILE", "")
    SAFEGUARDING_DUTY_EMAIL = os.environ.get(
        "SAFEGUARDING_DUTY_EMAIL", "duty-team@northshire.example"
    )
    SAFETY_ALERT_ESCALATE_MINUTES = _env_int("SAFETY_ALERT_ESCALATE_MINUTES", 60)
    SAFETY_SCALE_ALERT_AT = _env_int("SAFETY_SCALE_ALERT_AT", 2)
    # A text reply using one of these words or phrases (whole words, any case; a comma list)
    # raises a safety alert. In English, Polish, Romanian and Urdu: the non-English ones await
    # review by a qualified translator, as the catalogues do.
    TEXT_REPLY_DANGER_WORDS = _env_list("TEXT_REPLY_DANGER_WORDS") or [
        word.strip() for word in DANGER_WORDS.split(",")
    ]
    # Where "Exit this page" takes someone in a hurry: a neutral, busy site
    EXIT_PAGE_URL = os.environ.get("EXIT_PAGE_URL", "https://www.bbc.co.uk/weather")
    TIMEZONE = "Europe/London"

    # Set per database URL in __init__ (engine_options)
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    # Compressed pages and BREACH: Lax keeps the session off another site's images and scripts
    # (the usual way of making many guesses); family pages reflect nothing a stranger sends.
    SESSION_COOKIE_SAMESITE = "Lax"
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
    ]
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    # A staff session ends after this many minutes without a request, and in any case this many
    # hours after signing in (checked on the server, not only by the cookie's expiry).
    STAFF_IDLE_MINUTES = _env_int("STAFF_IDLE_MINUTES", 30)
    STAFF_SESSION_MAX_HOURS = _env_int("STAFF_SESSION_MAX_HOURS", 10)
    # The cookie itself lives as long as the longest session, so after an idle half hour the
    # server still receives it and the sign-in page can say why the person was signed out.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=STAFF_SESSION_MAX_HOURS)
    # The languages family pages and messages are offered in: each needs a catalogue (README).
    FAMILY_LANGUAGES = _env_list("FAMILY_LANGUAGES") or ["en", "pl", "ro", "ur"]
    # A family's visit through their link ends after this many minutes without a page
    FAMILY_IDLE_MINUTES = _env_int("FAMILY_IDLE_MINUTES", 30)
    # For tests: the same two idle limits in seconds, used instead of the minutes when not 0
    FAMILY_IDLE_SECONDS = _env_int("FAMILY_IDLE_SECONDS", 0)
    STAFF_IDLE_SECONDS = _env_int("STAFF_IDLE_SECONDS", 0)
    # Pages warn this long before a time limit, with a Continue button that extends it
    # (GOV.UK's timeout warning; WCAG 2.2.1 asks for at least 20 seconds, GOV.UK for 2 minutes)
    TIMEOUT_WARNING_SECONDS = _env_int("TIMEOUT_WARNING_SECONDS", 120)
    # Staff must use a second factor (an authenticator app's code) to sign in. On in production.
    TWO_FACTOR_REQUIRED = _env_bool("TWO_FACTOR_REQUIRED", False)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", False)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Codes typed at sign-in (authenticator or recovery), per client; besides, five wrong codes
    # end the attempt and the person starts again from the password.
    TWO_FACTOR_RATE_LIMIT = os.environ.get("TWO_FACTOR_RATE_LIMIT", "10 per minute")
    # Codes tried against one account, from anywhere: stops guessing by someone with the password
    TWO_FACTOR_ACCOUNT_LIMIT = os.environ.get("TWO_FACTOR_ACCOUNT_LIMIT", "10 per hour")
    # Failed sign-ins allowed per account (whatever the client address), counted by a keyed hash
    # of the email address posted, so unknown addresses are limited the same way.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes")
    # RATELIMIT_STORAGE_URI is set in __init__: Redis when REDIS_URL is set, else memory (refused
    # in production: each worker process would count on its own).
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "heard")
    # If Redis stops answering, count in this process's memory until it is back (not a 500).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # When set, /readyz also asks Redis (e.g. the rate limits' shared store) for a PING.
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_HEADERS_ENABLED = True
    CONFERENCES_PER_PAGE = 25
    REFERRALS_PER_PAGE = 25  # the advocacy manager's referrals to assign
    AUDIT_EVENTS_PER_PAGE = 50
    HELD_TEXTS_PER_PAGE = 50  # "Texts held against no one"
    PASSWORD_MIN_LENGTH = 12

    # Links and messages to families
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    PROXY_FIX_HOPS = _env_int("PROXY_FIX_HOPS", 0)
    # TRUSTED_PROXY_CIDRS is read in __init__: the proxies whose X-Forwarded-* headers count.
    LINK_RATE_LIMIT = os.environ.get("LINK_RATE_LIMIT", "20 per minute")
    VIEWS_INVITATION_WORKING_DAYS_BEFORE = _env_int("VIEWS_INVITATION_WORKING_DAYS_BEFORE", 5)
    VIEWS_REMINDER_AFTER_DAYS = _env_int("VIEWS_REMINDER_AFTER_DAYS", 2)
    FEEDBACK_LINK_DAYS = _env_int("FEEDBACK_LINK_DAYS", 14)
    FEEDBACK_REMINDER_AFTER_DAYS = _env_int("FEEDBACK_REMINDER_AFTER_DAYS", 3)
    # Scheduled messages go out between these hours (Europe/London) only: never at midnight.
    SEND_FROM_HOUR = _env_int("SEND_FROM_HOUR", 9)
    SEND_UNTIL_HOUR = _env_int("SEND_UNTIL_HOUR", 19)
    # Children this old or older on the conference date can be sent their own links (the 10+
    # form); younger ones from CHILD_FORM_MIN_AGE get the Three Houses, sent to an adult helping.
    YOUNG_PERSON_MIN_AGE = _env_int("YOUNG_PERSON_MIN_AGE", 10)
    CHILD_FORM_MIN_AGE = _env_int("CHILD_FORM_MIN_AGE", 4)
    # Children this old or older on the conference date are referred to advocacy automatically.
    ADVOCACY_MIN_AGE = _env_int("ADVOCACY_MIN_AGE", 10)
    # Children younger than this on the conference date (or unborn) are CP0: not counted.
    PARTICIPATION_MIN_AGE = _env_int("PARTICIPATION_MIN_AGE", 4)
    # The year's figure in the participation report: "pooled" (sum of numerators over sum of
    # denominators) or "mean-of-quarters" (the mean of the quarterly percentages, as past
    # reports were made).
    PARTICIPATION_YEAR_METHOD = os.environ.get("PARTICIPATION_YEAR_METHOD", "pooled")
    # Advocates' attachments (drawings, letters): outside static/, served only to those allowed
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR", str(INSTANCE_DIR / "attachments"))
    ATTACHMENT_MAX_BYTES = _env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    # `flask retention run` removes families', children's and advocates' free text and attachments
    # from conferences held more than this many days ago (the counts the reports need are kept).
    RETENTION_DAYS = _env_int("RETENTION_DAYS", 90)
    # `flask worker` runs retention once a day from this hour (Europe/London); "off" leaves it
    # to cron or a systemd timer calling `flask retention run`.
    RETENTION_HOUR = (
        None
        if os.environ.get("RETENTION_HOUR", "2").strip().lower() == "off"
        else _env_int("RETENTION_HOUR", 2)
    )
    # A request body larger than this is refused with 413 (an attachment plus the form around it)
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 11 * 1024 * 1024)
    # A form's text fields together: a child's drawing comes as a data URL in one of them, so
    # one too large (over DRAWING_MAX_BYTES, portal/family_forms/drawings.py) reaches the form
    # and is refused there in words, not by Flask's 500 kB default with a 413.
    MAX_FORM_MEMORY_SIZE = _env_int("MAX_FORM_MEMORY_SIZE", 2 * 1024 * 1024)
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "outbox")
    EMAIL_PROVIDER = os.environ.get("EMAIL_PROVIDER", "outbox")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER")
    TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID")
    TWILIO_STATUS_CALLBACK_URL = os.environ.get("TWILIO_STATUS_CALLBACK_URL")
    TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL")
    # GOV.UK Notify (SMS_PROVIDER=notify, EMAIL_PROVIDER=notify): one template per channel whose
    # content is ((body)), an email's subject ((subject)); docs/configuration.md says more.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY")
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID")
    NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID")
    NOTIFY_SMS_SENDER_ID = os.environ.get("NOTIFY_SMS_SENDER_ID")
    NOTIFY_EMAIL_REPLY_TO_ID = os.environ.get("NOTIFY_EMAIL_REPLY_TO_ID")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL")
    # The bearer token set for both callbacks on Notify's API integration page
    NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    SMTP_USE_SSL = _env_bool("SMTP_USE_SSL", False)
    EMAIL_FROM = os.environ.get("EMAIL_FROM", "heard@northshire.example")
    MESSAGING_TIMEOUT_SECONDS = float(os.environ.get("MESSAGING_TIMEOUT_SECONDS", "10"))
    WORKER_BATCH_SIZE = _env_int("WORKER_BATCH_SIZE", 50)
    WORKER_CONCURRENCY = _env_int("WORKER_CONCURRENCY", 8)
    WORKER_POLL_SECONDS = float(os.environ.get("WORKER_POLL_SECONDS", "2"))
    MESSAGE_MAX_ATTEMPTS = _env_int("MESSAGE_MAX_ATTEMPTS", 8)
    RETRY_BASE_SECONDS = float(os.environ.get("RETRY_BASE_SECONDS", "30"))
    # A message claimed longer ago than this, and never recorded, is assumed lost with its
    # worker and queued again (the cause of the at-most-one duplicate).
    SENDING_LEASE_SECONDS = _env_int("SENDING_LEASE_SECONDS", 300)
    SHOW_DEV_OUTBOX = False
    # A form stays valid as long as the session: an open page must not lose its answers.
    WTF_CSRF_TIME_LIMIT = None

    def __init__(self) -> None:
        # Read at instantiation, not import, so tests and the CLI see the current environment.
        self.SQLALCHEMY_DATABASE_URI = _database_url(self.default_database_url())
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.default_secret_key()
        # Earlier secret keys, during a change: session cookies sealed under them still open.
        self.SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS")
        # Fernet keys for data at rest, newest first (portal/crypto.py)
        self.DATA_ENCRYPTION_KEYS = _env_list("DATA_ENCRYPTION_KEYS") or self.default_data_keys()
        # With PROXY_FIX_HOPS: X-Forwarded-* headers are believed only from a peer in these
        # ranges (portal/proxy.py); empty, from any peer (the app must be reachable only
        # through the proxy).
        self.TRUSTED_PROXY_CIDRS = _env_list("TRUSTED_PROXY_CIDRS")
        for cidr in self.TRUSTED_PROXY_CIDRS:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise ConfigurationError(
                    f"TRUSTED_PROXY_CIDRS: {cidr!r} is not an address or range "
                    "(e.g. 10.0.0.0/8, 192.168.1.7, fd00::/8)"
                ) from None
        # Rate-limit counters: in Redis when there is one, so every process and machine counts
        # together; else in this process's memory. RATELIMIT_STORAGE_URI, when set, wins.
        self.REDIS_URL = os.environ.get("REDIS_URL")
        self.RATELIMIT_STORAGE_URI = (
            os.environ.get("RATELIMIT_STORAGE_URI") or self.REDIS_URL or "memory://"
        )
        # A temporary password (an admin's "add account") signs in for this many hours only:
        # whoever uses it first also sets up the authenticator app, so it must not lie about.
        self.TEMPORARY_PASSWORD_HOURS = _env_int("TEMPORARY_PASSWORD_HOURS", 72)
        if self.TEMPORARY_PASSWORD_HOURS < 1:
            raise ConfigurationError("TEMPORARY_PASSWORD_HOURS must be 1 or more")

    def default_database_url(self) -> str | None:
        return None

    def default_secret_key(self) -> str | None:
        return None

    def default_data_keys(self) -> list[str]:
        return []


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    TEMPLATES_AUTO_RELOAD = True
    SHOW_DEV_OUTBOX = True
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)

    def default_database_url(self) -> str:
        INSTANCE_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'heard.sqlite3'}"

    def default_secret_key(self) -> str:
        return _development_secret_key()

    def default_data_keys(self) -> list[str]:
        return _development_data_keys()


TEST_DATA_KEY = "dGVzdC1vbmx5IGtleTogbmV2ZXIgZm9yIHJlYWwhISE="


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = True
    # Argon2 at its cheapest: the tests sign in hundreds of times; production keeps the defaults.
    PASSWORD_HASH_FAST = True
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR", str(INSTANCE_DIR / "test-attachments"))

    def default_database_url(self) -> str:
        # `make test` unsets DATABASE_URL so a developer's own database is never emptied.
        INSTANCE_DIR.mkdir(exist_ok=True)
        return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'test.sqlite3'}"

    def default_secret_key(self) -> str:
        return secrets.token_hex(32)

    def default_data_keys(self) -> list[str]:
        # Published on purpose: the tests' data is invented, and the test's subprocesses (the
        # worker, gunicorn, the CLI) must open what the test wrote.
        return [TEST_DATA_KEY]


class ProductionConfig(Config):
    ENV_NAME = "production"
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", True)
    TWO_FACTOR_REQUIRED = _env_bool("TWO_FACTOR_REQUIRED", True)

    def __init__(self) -> None:
        super().__init__()
        missing = [
            name
            for name, value in (
                ("SECRET_KEY", self.SECRET_KEY),
                ("DATABASE_URL", self.SQLALCHEMY_DATABASE_URI),
                ("DATA_ENCRYPTION_KEYS", self.DATA_ENCRYPTION_KEYS),
            )
            if not value
        ]
        problems = []
        if missing:
            problems.append(
                f"Production needs these environment variables set: {', '.join(missing)}."
            )
        if self.RATELIMIT_STORAGE_URI.startswith("memory://"):
            problems.append(
                "Production needs shared rate-limit storage: set REDIS_URL (e.g. "
                "redis://127.0.0.1:6379/0), or RATELIMIT_STORAGE_URI to a shared store (not "
                "memory://). In memory, each worker process counts on its own, so every limit "
                "(sign-in, links, second-factor codes) is multiplied by the number of workers."
            )
        if problems:
            raise ConfigurationError(" ".join(problems))


CONFIGS: dict[str, type[Config]] = {
    kind.ENV_NAME: kind for kind in (DevelopmentConfig, TestConfig, ProductionConfig)
}


def load_config(name: str | None = None) -> Config:
    name = name or os.environ.get("HEARD_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigurationError(
            f"HEARD_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from None

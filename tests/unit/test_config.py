import pytest

from config import TEST_DATA_KEY, ConfigurationError, load_config


def test_development_uses_a_sqlite_file_under_instance(monkeypatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load_config("development")
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.SQLALCHEMY_DATABASE_URI.endswith("instance/heard.sqlite3")
    assert len(config.SECRET_KEY) >= 32


@pytest.mark.parametrize("name", ["development", "test", "production"])
def test_database_url_wins_in_every_configuration(monkeypatch, name) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://heard@db.internal/heard")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_DATA_KEY)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert load_config(name).SQLALCHEMY_DATABASE_URI == (
        "postgresql+psycopg://heard@db.internal/heard"
    )


@pytest.mark.parametrize(
    ("environment", "missing"),
    [
        ({}, "SECRET_KEY, DATABASE_URL, DATA_ENCRYPTION_KEYS"),
        ({"SECRET_KEY": "x" * 40, "DATA_ENCRYPTION_KEYS": TEST_DATA_KEY}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://db/heard", "SECRET_KEY": "x" * 40}, "DATA_ENCRYPTION_KEYS"),
        ({"DATABASE_URL": "postgresql://db/heard"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(monkeypatch, environment, missing):
    for name in ("DATABASE_URL", "SECRET_KEY", "DATA_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=missing):
        load_config("production")


def test_production_with_its_secrets_starts(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/heard")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_DATA_KEY)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    monkeypatch.delenv("TWO_FACTOR_REQUIRED", raising=False)
    config = load_config("production")
    assert config.FORCE_HTTPS is True
    assert config.SESSION_COOKIE_SECURE is True
    assert config.TWO_FACTOR_REQUIRED is True


@pytest.fixture
def production_secrets(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Everything production needs but the rate limits' storage."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/heard")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_DATA_KEY)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "storage",
    [
        {},
        {"RATELIMIT_STORAGE_URI": "memory://"},
        # RATELIMIT_STORAGE_URI wins over REDIS_URL: memory is still per process.
        {"REDIS_URL": "redis://cache.internal:6379/0", "RATELIMIT_STORAGE_URI": "memory://"},
    ],
)
def test_production_refuses_to_count_rate_limits_per_process(production_secrets, storage):
    """Issue 15: with memory:// each gunicorn worker kept its own counts, so every limit
    (sign-in, links, second-factor codes) was multiplied by the number of workers."""
    for name, value in storage.items():
        production_secrets.setenv(name, value)
    with pytest.raises(ConfigurationError) as refused:
        load_config("production")
    message = str(refused.value)
    assert "shared rate-limit storage" in message
    assert "REDIS_URL" in message
    assert "RATELIMIT_STORAGE_URI" in message
    assert "each worker process" in message


@pytest.mark.parametrize(
    ("storage", "uri"),
    [
        ({"REDIS_URL": "redis://cache.internal:6379/0"}, "redis://cache.internal:6379/0"),
        ({"RATELIMIT_STORAGE_URI": "memcached://cache:11211"}, "memcached://cache:11211"),
    ],
)
def test_production_starts_with_shared_rate_limit_storage(production_secrets, storage, uri):
    for name, value in storage.items():
        production_secrets.setenv(name, value)
    counted_in = load_config("production").RATELIMIT_STORAGE_URI
    assert counted_in == uri


def test_missing_secrets_and_storage_are_named_together(production_secrets) -> None:
    production_secrets.delenv("SECRET_KEY")
    with pytest.raises(ConfigurationError, match="SECRET_KEY") as refused:
        load_config("production")
    assert "shared rate-limit storage" in str(refused.value)


@pytest.mark.parametrize("name", ["development", "test"])
def test_development_and_tests_need_no_redis(monkeypatch, name) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert load_config(name).RATELIMIT_STORAGE_URI == "memory://"


def test_an_unknown_configuration_name_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("HEARD_CONFIG", "staging")
    with pytest.raises(ConfigurationError, match="HEARD_CONFIG"):
        load_config()


def test_postgresql_never_prepares_statements_on_the_server(monkeypatch) -> None:
    """Generic plans made the participation report 3 times slower (bench/report.py)."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://heard@db.internal/heard")
    options = load_config("test").SQLALCHEMY_ENGINE_OPTIONS
    assert options == {"pool_pre_ping": True, "connect_args": {"prepare_threshold": None}}
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/heard.sqlite3")
    assert load_config("test").SQLALCHEMY_ENGINE_OPTIONS == {"pool_pre_ping": True}


def test_a_temporary_password_lasts_72_hours_unless_the_environment_says(monkeypatch) -> None:
    monkeypatch.delenv("TEMPORARY_PASSWORD_HOURS", raising=False)
    assert load_config("test").TEMPORARY_PASSWORD_HOURS == 72
    monkeypatch.setenv("TEMPORARY_PASSWORD_HOURS", "24")
    assert load_config("test").TEMPORARY_PASSWORD_HOURS == 24
    monkeypatch.setenv("TEMPORARY_PASSWORD_HOURS", "0")
    with pytest.raises(ConfigurationError, match="TEMPORARY_PASSWORD_HOURS"):
        load_config("test")


def test_trusted_proxy_ranges_are_read_as_a_list(monkeypatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXY_CIDRS", " 10.0.0.0/8, 192.168.1.7 ,fd00::/8")
    assert load_config("test").TRUSTED_PROXY_CIDRS == ["10.0.0.0/8", "192.168.1.7", "fd00::/8"]
    monkeypatch.delenv("TRUSTED_PROXY_CIDRS")
    assert load_config("test").TRUSTED_PROXY_CIDRS == []


def test_a_trusted_proxy_range_that_is_not_one_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXY_CIDRS", "10.0.0.0/8,proxy.internal")
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXY_CIDRS.*proxy.internal"):
        load_config("test")

"""Configuration read from LMS_* environment variables."""

import os
import secrets
from pathlib import Path

from certificates.keys import load_private_key, private_key_to_pem, read_or_create_key_file


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"LMS_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_count(name: str, default: int) -> int:
    """Read a count; on/true/yes mean 1 and off/false/no mean 0, for older boolean settings."""
    value = _env(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return 1
    if value in {"", "0", "false", "no", "off"}:
        return 0
    if not value.isdigit():
        raise ValueError(f"LMS_{name} must be a whole number (of proxies), not {value!r}")
    return int(value)


def _port() -> int:
    """Read the port `make run` serves on: PORT when set, 5000 otherwise."""
    value = os.environ.get("PORT", "").strip()
    if not value:
        return 5000
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"PORT must be a port number (1 to 65535), not {value!r}")
    return int(value)


class Config:
    """Settings shared by every environment; built from the environment at app creation."""

    ENV_NAME = "development"
    TESTING = False

    def __init__(self, instance_path: str):
        self.INSTANCE_PATH = instance_path
        self.ENV_NAME = _env("ENV", self.ENV_NAME)
        default_db = f"sqlite:///{Path(instance_path) / 'lms.sqlite3'}"
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(_env("DATABASE_URL", default_db))
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SECRET_KEY = _env("SECRET_KEY") or self._development_secret()
        production = self.ENV_NAME == "production"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", production)
        self.SESSION_COOKIE_NAME = "lms_session"
        self.PERMANENT_SESSION_LIFETIME = 60 * 60 * 8
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
        self.MAX_CONTENT_LENGTH = int(_env("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
        self.MAX_FILES_PER_SUBMISSION = int(_env("MAX_FILES_PER_SUBMISSION", "5"))
        self.MAX_FILES_TOTAL_BYTES = int(_env("MAX_FILES_TOTAL_BYTES", str(25 * 1024 * 1024)))
        # memory:// counts per process: every gunicorn worker and every node would allow the
        # limit again, so production refuses it (check_shared_state).
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URL", "memory://")
        # Keeps this site's counters apart from another's in the same Redis.
        self.RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", "lms")
        # The background queue (lms/tasks.py reads the same variable): unset, a SQLite file in
        # this machine's instance folder, which no other machine can reach.
        self.QUEUE_URL = _env("QUEUE_URL", "")
        # Production on one machine only: a SQLite database and queue file are then shared by
        # every process that needs them.
        self.SINGLE_MACHINE = _env_bool("SINGLE_MACHINE", False)
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        # While the shared store is unreachable each process counts alone, rather than every
        # sign-in and public check failing; the shared counts resume when it returns.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_HEADERS_ENABLED = False
        # Failed sign-ins allowed: from one address; for one account from one address; and for
        # one account from everywhere (high and short, so one address cannot lock a person out).
        self.LOGIN_LIMIT_PER_ADDRESS = _env("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes")
        self.LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS = _env("LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS",
                                                        "5 per 15 minutes")
        self.LOGIN_LIMIT_PER_ACCOUNT = _env("LOGIN_LIMIT_PER_ACCOUNT", "50 per 5 minutes")
        # Public checks of an advocate allowed from one address (every attempt counts).
        self.PUBLIC_CHECK_LIMITS = _env("PUBLIC_CHECK_LIMITS", "10 per minute; 100 per day")
        self.INVITE_TOKEN_HOURS = int(_env("INVITE_TOKEN_HOURS", "72"))
        self.RESET_TOKEN_HOURS = int(_env("RESET_TOKEN_HOURS", "2"))
        self.MAIL_BACKEND = _env("MAIL_BACKEND", "smtp" if production else "outbox")
        self.MAIL_SERVER = _env("MAIL_SERVER", "localhost")
        self.MAIL_PORT = int(_env("MAIL_PORT", "25"))
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", production)
        self.MAIL_SENDER = _env("MAIL_SENDER",
                                "PG Cert in Independent Advocacy <noreply@example.org>")
        # Emailed links point where `make run` serves (PORT, else 5000) unless the site says.
        self.EXTERNAL_URL = _env("EXTERNAL_URL", f"http://127.0.0.1:{_port()}")
        # How many reverse proxies in front of the app to trust for X-Forwarded-For; 0 trusts none.
        self.PROXY_FIX = _env_count("PROXY_FIX", 0)
        self.DEMO_DATA_ALLOWED = not production
        self.COURSES_PATH_DEFAULT = str(Path(__file__).parent.parent / "courses")
        self.COURSES_PATH = _env("COURSES_PATH", self.COURSES_PATH_DEFAULT)
        self.CONTENT_REVIEW_MONTHS = int(_env("CONTENT_REVIEW_MONTHS", "12"))
        # Content whose review notes flag time-sensitive facts is reviewed sooner.
        self.CONTENT_REVIEW_FLAGGED_MONTHS = int(_env("CONTENT_REVIEW_FLAGGED_MONTHS", "6"))
        # Extension requests: how many days after the deadline one may still be made, and how
        # many days beyond the current deadline it may ask for.
        self.EXTENSION_REQUEST_GRACE_DAYS = int(_env("EXTENSION_REQUEST_GRACE_DAYS", "5"))
        self.EXTENSION_MAX_DAYS = int(_env("EXTENSION_MAX_DAYS", "28"))
        # CPD confirmation links: how long one works, and how often one address may open them.
        self.CPD_CONFIRMATION_DAYS = int(_env("CPD_CONFIRMATION_DAYS", "14"))
        self.CPD_CONFIRM_LIMIT_PER_ADDRESS = _env("CPD_CONFIRM_LIMIT_PER_ADDRESS", "60 per hour")
        # Certificate checks (the verify page and API) one address may make: enough for an
        # employer checking a list by hand, too few to walk the space of codes.
        self.VERIFY_LIMIT_PER_ADDRESS = _env("VERIFY_LIMIT_PER_ADDRESS", "30 per minute")
        # The Ed25519 key that signs Open Badges credentials and status lists (PEM or Multikey
        # secret text); generated into the instance folder outside production.
        self.SIGNING_KEY = _env("SIGNING_KEY") or self._development_signing_key()
        load_private_key(self.SIGNING_KEY)  # a key that cannot be read stops the start

    def _development_secret(self) -> str:
        """Generate (once) a development secret key into the instance folder."""
        if self.ENV_NAME == "production":
            raise RuntimeError(
                "LMS_SECRET_KEY must be set in production; refusing to start without it."
            )
        path = Path(self.INSTANCE_PATH) / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def _development_signing_key(self) -> str:
        """Generate (once) a development signing key into the instance folder."""
        if self.ENV_NAME == "production":
            raise RuntimeError(
                "LMS_SIGNING_KEY must be set in production (the key that signs certificates' "
                "Open Badges credentials); refusing to start without it."
            )
        path = Path(self.INSTANCE_PATH) / "signing-key.pem"
        return private_key_to_pem(read_or_create_key_file(path))

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in dir(self) if k.isupper()}


def check_shared_state(config) -> None:
    """Refuse, in production, state kept where another process or node cannot see it."""
    if config.get("ENV_NAME") != "production":
        return
    limits_on = config.get("RATELIMIT_ENABLED", True)  # off, nothing is counted anywhere
    if limits_on and config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://"):
        raise RuntimeError(
            "LMS_RATELIMIT_STORAGE_URL is memory:// (each process counts alone, so sign-in and "
            "public-check limits multiply by the number of workers and nodes); set it to "
            "redis://… in production; refusing to start.")
    single = config.get("SINGLE_MACHINE")
    if config.get("SQLALCHEMY_DATABASE_URI", "").startswith("sqlite") and not single:
        raise RuntimeError(
            "LMS_DATABASE_URL is a SQLite file, which only this machine can use: set it to "
            "postgresql://… for several nodes, or LMS_SINGLE_MACHINE=1 to run on this one "
            "machine only; refusing to start.")
    queue = config.get("QUEUE_URL") or ""
    if queue.startswith("memory://"):
        raise RuntimeError(
            "LMS_QUEUE_URL is memory:// (the web server's queued work would never reach a "
            "worker); set it to redis://… in production; refusing to start.")
    if not queue.startswith(("redis://", "rediss://")) and not single:
        raise RuntimeError(
            "LMS_QUEUE_URL must be redis://… in production: the default SQLite queue file is "
            "on this machine only, so a worker on another node would never see its work. On a "
            "single machine, set LMS_SINGLE_MACHINE=1 to keep the file; refusing to start.")


def _normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url

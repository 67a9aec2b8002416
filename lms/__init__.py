"""The PG Cert learning platform."""

from pathlib import Path

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from lms.config import Config, check_shared_state

    app.config.update(Config(app.instance_path).as_dict())
    if config:
        app.config.update(config)
    check_shared_state(app.config)

    from lms.app_setup import setup_app

    setup_app(app)
    return app

"""Wire extensions, blueprints, security headers and error pages into an app."""

from contextlib import suppress

from flask import Flask, abort, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from assessments.marks import band_words
from assessments.order import in_display_order
from lms import limits, vocab
from lms.access import declared_access
from lms.courses.render import render_user_markdown
from lms.extensions import csrf, db, limiter, login_manager
from lms.formatting import (
    plural,
    scroll_tables,
    sentence,
    uk_date,
    uk_datetime,
    uk_iso_date,
    uk_month,
)
from lms.health.outage import database_unavailable
from lms.vocab import JURISDICTIONS, ROLES, SPECIALISMS, label

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def setup_app(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    # A request is signed in only while its server-side session record is open.
    login_manager.user_loader(_load_user)
    _trust_proxies(app, app.config.get("PROXY_FIX", 0))

    _register_models()
    _register_blueprints(app)
    _register_security(app)
    _register_errors(app)
    _register_templates(app)
    from lms.cli import register_cli

    register_cli(app)


def _load_user(user_id: str):
    from lms.auth.sessions import load_user

    return load_user(user_id)


def _trust_proxies(app: Flask, proxies: int) -> None:
    """Behind proxies, take the client's address from the X-Forwarded-For they add.

    With none configured (the default) the header is ignored, so a client cannot choose the
    address that sign-in limits and the audit log see.
    """
    if not proxies:
        return
    from werkzeug.middleware.proxy_fix import ProxyFix

    # Scheme and host come from the nearest proxy; the address chain has one entry per proxy.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(proxies), x_proto=1, x_host=1)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on foreign keys and WAL for SQLite; other databases ignore this."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_models() -> None:
    """Import every model module so metadata is complete (Alembic and create_all need it)."""
    import lms.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    # Route modules register their views on import; import them here, after the models.
    import lms.accreditation.advocate_routes
    import lms.accreditation.appeal_routes
    import lms.accreditation.apply_routes
    import lms.accreditation.bulk_routes
    import lms.accreditation.org_decision_routes
    import lms.accreditation.public_routes
    import lms.accreditation.return_routes
    import lms.accreditation.review_routes
    import lms.admin.routes
    import lms.admin.routes_cohorts
    import lms.admin.routes_organisations
    import lms.admin.routes_users
    import lms.assessments.examiner_routes
    import lms.assessments.marking_routes
    import lms.assessments.routes
    import lms.assessments.staff_routes
    import lms.auth.routes
    import lms.certs.badge_routes
    import lms.certs.holder_routes
    import lms.certs.staff_routes
    import lms.certs.verify_routes
    import lms.courses.review_routes
    import lms.courses.routes
    import lms.courses.staff_routes
    import lms.cpd.confirm_routes
    import lms.cpd.routes
    import lms.cpd.staff_routes
    import lms.health.routes
    import lms.home.routes
    import lms.organisations.routes  # noqa: F401
    from lms.accreditation import bp as accreditation_bp
    from lms.admin import bp as admin_bp
    from lms.assessments import bp as assessments_bp
    from lms.auth import bp as auth_bp
    from lms.certs import bp as certs_bp
    from lms.courses import bp as courses_bp
    from lms.cpd import bp as cpd_bp
    from lms.health import bp as health_bp
    from lms.home import bp as home_bp
    from lms.organisations import bp as organisations_bp

    for blueprint in (auth_bp, home_bp, health_bp, admin_bp, organisations_bp, courses_bp,
                      assessments_bp, cpd_bp, accreditation_bp, certs_bp):
        app.register_blueprint(blueprint)


def _register_security(app: Flask) -> None:
    @app.before_request
    def deny_undeclared_routes():
        # Deny by default: a view that forgot to say who may use it is closed to everyone.
        if request.endpoint in (None, "static"):
            return
        view = app.view_functions.get(request.endpoint)
        if view is not None and declared_access(view) is None:
            abort(403)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()


def _register_errors(app: Flask) -> None:
    def page(status: int, template: str):
        return lambda error: (render_template(template, error=error), status)

    app.register_error_handler(403, page(403, "errors/403.html"))
    app.register_error_handler(404, page(404, "errors/404.html"))
    app.register_error_handler(405, page(405, "errors/405.html"))
    app.register_error_handler(410, page(410, "errors/404.html"))
    app.register_error_handler(413, page(413, "errors/413.html"))
    app.register_error_handler(CSRFError, page(400, "errors/csrf.html"))

    @app.errorhandler(500)
    def server_error(error):
        if database_unavailable(getattr(error, "original_exception", None)):
            return _unavailable(app, error.original_exception)
        db.session.rollback()
        return render_template("errors/500.html"), 500

    @app.errorhandler(DBAPIError)
    def database_error(error):
        if not database_unavailable(error):
            raise error  # a mistake in the code, not an outage: the usual 500
        return _unavailable(app, error)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error):
        if request.endpoint == "auth.sign_in":
            from lms.auth.forms import SignInForm

            form = SignInForm()
            return render_template("auth/sign_in.html", form=form, throttled=True), 429
        if request.endpoint == "accreditation.public_check":
            from lms.accreditation.public_routes import throttled_check

            return throttled_check(error)
        if request.endpoint in ("certs.verify_code", "certs.api_verify"):
            from lms.certs.verify_routes import throttled_response
            return throttled_response()
        return render_template("errors/429.html"), 429


UNAVAILABLE_JSON = {"error": "unavailable",
                    "message": "The service is unavailable just now. Try again in a minute."}


def _unavailable(app: Flask, error: DBAPIError):
    """Answer 503 while the database cannot be reached: a page without internals, or JSON."""
    app.logger.warning("Database unavailable (%s %s): %s", request.method, request.path,
                       error.orig or error)
    # The connection may be gone already; the pool replaces it once the database is back.
    with suppress(SQLAlchemyError):
        db.session.rollback()
    if request.path.startswith("/api/"):
        response = jsonify(UNAVAILABLE_JSON)
    else:
        # Rendered without the context processors: Flask-Login's would look the person up, in
        # the database that cannot be reached.
        page = app.jinja_env.get_template("errors/503.html")
        response = app.response_class(page.render(unavailable=True), mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = "60"
    return response


def _register_templates(app: Flask) -> None:
    from lms.navigation import main_nav

    app.jinja_env.globals["main_nav"] = main_nav
    app.jinja_env.filters["role_label"] = lambda role: label(ROLES, role)
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["label_specialism"] = lambda key: label(SPECIALISMS, key)
    app.jinja_env.filters["label_jurisdiction"] = lambda key: label(JURISDICTIONS, key)
    # One way to write dates, times, counts and sentence ends (lms/formatting.py).
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_month"] = uk_month
    app.jinja_env.filters["uk_iso_date"] = uk_iso_date
    app.jinja_env.filters["uk_datetime"] = uk_datetime
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["sentence"] = sentence
    app.jinja_env.filters["scroll_tables"] = scroll_tables  # for sanitised HTML only
    app.jinja_env.filters["in_display_order"] = in_display_order
    app.jinja_env.filters["band_words"] = band_words
    app.jinja_env.filters["stage_title"] = lambda sid, stages: stages.get(sid, {}).get(
        "title", sid)
    # Safe to mark: render_user_markdown emits only its allowlist (raw HTML is escaped).
    app.jinja_env.filters["user_markdown"] = lambda text: scroll_tables(
        render_user_markdown(text))
    app.jinja_env.globals["vocab"] = vocab
    app.jinja_env.globals["limits"] = limits  # pages state each field's limit


"""In process: build the dataset, and count the SQL queries one request of a page issues."""

from sqlalchemy import event, text

from tests.bench.serve import csrf_token_in


def build_dataset(url: str, scale: float, seed: int):
    """Create an app on this database and fill it; return (app, dataset)."""
    from lms import create_app
    from tests.bench.dataset import build

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    if app.debug:
        raise RuntimeError("Flask debug mode is on (FLASK_DEBUG?): the figures would be wrong.")
    with app.app_context():
        dataset = build(app, scale, seed)
    return app, dataset


def server_version(app) -> str:
    from lms.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return "SQLite " + db.session.scalar(text("select sqlite_version()"))
        return "PostgreSQL " + db.session.scalar(text("show server_version"))


def dispose(app) -> None:
    from lms.extensions import db

    with app.app_context():
        db.engine.dispose()


def queries_per_request(app, dataset, page) -> int | None:
    """Sign a test client in as the page's account and count one warm request's queries.

    Counted in process with a before_cursor_execute listener rather than by a header the
    served app would add: the app under test stays exactly as in production. The first
    request warms caches; the second is counted. None when the page does not answer 2xx.
    """
    from lms.extensions import db

    client = app.test_client()
    if page.account:
        token = csrf_token_in(client.get("/sign-in").get_data(as_text=True))
        client.post("/sign-in", data={"email": dataset.accounts[page.account],
                                      "password": dataset.password, "csrf_token": token})
    form = None
    if page.method == "POST":
        form = dict(page.form or {})
        form["csrf_token"] = csrf_token_in(
            client.get(page.form_page or page.path).get_data(as_text=True))
    with app.app_context():
        engine = db.engine
    count = {"n": 0}

    def counted(*args):
        count["n"] += 1

    client.open(page.path, method=page.method, data=form)
    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = client.open(page.path, method=page.method, data=form)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count["n"] if 200 <= response.status_code < 300 else None

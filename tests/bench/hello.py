"""The ceiling: a minimal Flask app served by the same gunicorn settings as the LMS."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"


@app.route("/healthz")
def healthz():
    return {"status": "ok"}

"""Certificates on the web: issuing them when their facts hold, the holder's downloads, the
public verify page and API, revocation and suspension, and Open Badges 3.0 credentials. The
documents and signatures themselves are the pure top-level `certificates` package."""

from flask import Blueprint

bp = Blueprint("certs", __name__, template_folder="templates")

"""Addresses people follow from outside the site: links in emails, on certificates and in their
QR codes. Built on LMS_EXTERNAL_URL (never the request's Host header, which a client chooses)."""

from flask import current_app, has_request_context, url_for


def site_url() -> str:
    """Return the site's public address, without a trailing slash."""
    return current_app.config["EXTERNAL_URL"].rstrip("/")


def external(path: str) -> str:
    """Return the public address of a path on this site ("/cpd", "/verify/CODE")."""
    return site_url() + path


def external_for(endpoint: str, **values) -> str:
    """Return the public address of a page from the URL map, in a request or outside one (the
    worker's daily jobs and the CLI have no request); `_anchor` adds a fragment."""
    anchor = values.pop("_anchor", None)
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return external(path + (f"#{anchor}" if anchor else ""))

"""The access log without personal data: method, path, status, size and time only.

No client address, user agent, referrer, user or query string is written, and a path that
carries a secret or a person's certificate code (a set-password or CPD confirmation link, a
certificate's code) is written with that part masked. The error log's lines about a request
get the same treatment. gunicorn.conf.py uses AccessLogger."""

import re

from gunicorn.glogging import Logger

# Each route with a <token> or a <code> in its path: the test checks this covers every one.
_MASKED = [
    (re.compile(r"^/set-password/[^/]+"), "/set-password/<token>"),
    (re.compile(r"^/cpd/confirm/[^/]+"), "/cpd/confirm/<token>"),
    (re.compile(r"^/verify/[^/]+"), "/verify/<code>"),
    (re.compile(r"^/api/v1/verify/[^/]+"), "/api/v1/verify/<code>"),
    (re.compile(r"^(/staff)?/certificates/[^/]+?(?=\.pdf$|/|$)"), r"\1/certificates/<code>"),
]
# The atoms a format may use; any other (h, a, f, q, u, headers, environ) is written as "-".
_KEPT = {"t", "m", "s", "b", "B", "T", "D", "M", "L", "p", "H"}


_CLIENT_ADDRESS = re.compile(r"\bip=\S*?(?=:\s|\s|$)")  # IPv6 has colons too


def mask_uri(uri: str) -> str:
    """Return a request URI fit for a log: its path masked, its query string dropped."""
    return mask_path(uri.split("?", 1)[0].split("#", 1)[0])


def mask_path(path: str) -> str:
    """Return a request path fit for the log: codes and tokens replaced by their names."""
    for pattern, replacement in _MASKED:
        path, replaced = pattern.subn(replacement, path, count=1)
        if replaced:
            break
    return path


class AccessLogger(Logger):
    """Gunicorn's logger, with the access log's atoms cut to those above."""

    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        kept = {key: value for key, value in every.items() if key in _KEPT}
        kept["U"] = mask_path(environ.get("PATH_INFO") or "")
        kept["r"] = f"{every['m']} {kept['U']} {every['H']}"  # the request line, no query
        return kept

    def exception(self, msg, *args, **kwargs):
        # gunicorn names the request's URI when the app lets an error escape.
        if isinstance(msg, str) and msg.startswith("Error handling request"):
            args = tuple(mask_uri(a) if isinstance(a, str) and a.startswith("/") else a
                         for a in args)
        super().exception(msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        # "Invalid request from ip=…": the address is left out here too.
        if isinstance(msg, str):
            msg = _CLIENT_ADDRESS.sub("ip=-", msg)
        super().warning(msg, *args, **kwargs)

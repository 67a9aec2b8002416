"""Find a certificate by a typed code, its public addresses, and its stored facts as the
certificates.facts dataclass that the documents, the verify page and the credential all read."""

import dataclasses
import typing
from datetime import date
from types import UnionType

from flask import current_app, url_for
from sqlalchemy import select

from certificates.codes import format_code, is_code, normalise_code
from certificates.facts import TranscriptModule
from certificates.printed import KINDS as PRINTED_KINDS
from lms.certs.models import Certificate
from lms.extensions import db

# "module_completion" -> ModuleCompletion, ...: the kind stored on the row names the dataclass.
FACT_CLASSES = {kind.key: cls for cls, kind in PRINTED_KINDS.items()}


def site_url() -> str:
    """Return the site's public address, without a trailing slash."""
    return current_app.config["EXTERNAL_URL"].rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """Return the public address of a page, on the site's external address."""
    return site_url() + url_for(endpoint, **values)


def verify_url(code: str) -> str:
    """Return the address that verifies a code (the one printed on the document and its QR)."""
    return public_url("certs.verify_code", code=format_code(code))


def find_by_code(text: str) -> Certificate | None:
    """Return the certificate a typed code names, or None; text not shaped like a code is
    refused without asking the database."""
    if not is_code(text):
        return None
    return db.session.scalar(select(Certificate).where(
        Certificate.code.in_([format_code(text), normalise_code(text)])))


def facts_of(certificate: Certificate):
    """Return the certificate's stored facts as its certificates.facts dataclass."""
    cls = FACT_CLASSES[certificate.kind]
    # The row holds what every certificate carries; the facts JSON what this kind states.
    stored = {**(certificate.facts or {}), "code": certificate.code,
              "issued_on": certificate.issued_on, "verify_url": verify_url(certificate.code)}
    return _build(cls, stored)


def facts_json(facts) -> dict:
    """Return a facts dataclass as the plain JSON Certificate.facts stores (dates as ISO):
    what this kind states, without the code, address and issue day the row holds."""
    values = dataclasses.asdict(facts)
    for name in ("code", "verify_url", "issued_on"):
        values.pop(name)
    return _plain(values)


def _build(cls, stored: dict):
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        if field.name in stored:
            values[field.name] = _value(hints[field.name], stored[field.name])
    return cls(**values)


def _value(hint, value):
    if value is None:
        return None
    options = typing.get_args(hint) if isinstance(hint, UnionType) else (hint,)
    if date in options and isinstance(value, str):
        return date.fromisoformat(value)
    if typing.get_origin(hint) is tuple:
        (item, *_) = typing.get_args(hint)
        if item is TranscriptModule:
            return tuple(TranscriptModule(**module) for module in value)
        return tuple(tuple(pair) for pair in value)
    return value


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value

"""Accreditation of advocates and of the host organisations that employ them, and the public
check. The status of a person or an organisation is never typed: it is computed by the pure
rules in rules.py (advocates) and orgrules.py (organisations) from dated facts and decisions
recorded in models.py."""

from flask import Blueprint

bp = Blueprint("accreditation", __name__, template_folder="templates")

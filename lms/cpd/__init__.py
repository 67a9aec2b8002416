"""CPD hour logging for advocates: the pure rules (rules.py), the records (models.py) and the
pages for advocates (routes.py), their confirmers and employers (confirm_routes.py) and the
course staff who set the scheme and run the audit (staff_routes.py)."""

from flask import Blueprint

bp = Blueprint("cpd", __name__, template_folder="templates")

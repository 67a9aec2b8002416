from flask import Blueprint

bp = Blueprint("organisations", __name__, template_folder="templates")

from flask import Blueprint

from assessments.marks import points
from assessments.scenario import stages_visited

bp = Blueprint("assessments", __name__, template_folder="templates")
# For the pages that explain a mark and a path through a scenario (trainee and marker alike).
bp.add_app_template_filter(points, "points")
bp.add_app_template_filter(lambda path, data: stages_visited(data or {}, path), "stages_visited")

"""Public pages, no sign-in: check one advocate; the register of accredited organisations."""

import math
import time
from datetime import date

from flask import abort, current_app, g, make_response, render_template, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from lms import limits
from lms.access import PUBLIC, allow
from lms.accreditation import bp, public
from lms.extensions import limiter
from lms.validators import MaxLength
from lms.vocab import NATIONS

NOINDEX = "noindex, nofollow"


def _strip(text):
    return text.strip() if isinstance(text, str) else text


class CheckForm(FlaskForm):
    number = StringField("Accreditation number", filters=[_strip], validators=[
        DataRequired("Enter the accreditation number."), MaxLength(limits.ACCREDITATION_NUMBER)])
    surname = StringField("Surname", filters=[_strip], validators=[
        DataRequired("Enter the advocate's surname."), MaxLength(limits.NAME)])


def _check_address_key() -> str:
    return "public-check-address:" + (request.remote_addr or "unknown")


def _private(response):
    """Keep a check page out of search engines and out of every cache."""
    response.headers["X-Robots-Tag"] = NOINDEX
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(status: int = 200, **context):
    return _private(make_response(render_template(
        "accreditation/public_check.html", glossary=public.GLOSSARY, **context), status))


@bp.route("/check", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(lambda: current_app.config["PUBLIC_CHECK_LIMITS"], key_func=_check_address_key,
               methods=["POST"])
def public_check():
    form = CheckForm()
    if not form.validate_on_submit():
        return _page(422 if form.errors else 200, form=form, answer=None, no_match=False)
    answer = public.check(form.number.data, form.surname.data, date.today())
    # The reply carries the token this form was sent with, so one visitor's replies differ
    # only by what the register says, never by when the token was signed; and the form comes
    # back empty, so no reply echoes what was typed.
    if token := request.form.get("csrf_token"):
        g.csrf_token = token
    return _page(form=CheckForm(formdata=None), answer=answer, no_match=answer is None)


def throttled_check(error):
    """The check paused for this address: say when it may be used again."""
    current = limiter.current_limit
    # reset_at is rounded up to the next whole second already.
    wait = max(1, int(current.reset_at - time.time())) if current else 60
    response = _private(make_response(render_template(
        "accreditation/public_check_throttled.html", minutes=math.ceil(wait / 60)), 429))
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/organisations/register")
@allow(PUBLIC)
def public_register():
    listed = public.listed_organisations(date.today())
    nation = request.args.get("nation") or None
    region = request.args.get("region") or None
    if nation is not None and nation not in NATIONS:
        abort(404)
    regions = public.regions_of(listed, nation) if nation else []
    if region is not None and region not in regions:
        abort(404)
    return render_template("accreditation/public_register.html",
                           organisations=public.in_place(listed, nation, region),
                           nations=NATIONS, regions=regions, nation=nation, region=region,
                           total=len(listed))

"""Sign in and out, set and reset passwords."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from lms.access import PUBLIC, SIGNED_IN, allow
from lms.audit.services import record
from lms.auth import bp
from lms.auth.forms import ChangePasswordForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from lms.auth.passwords import check_password, password_problems
from lms.auth.services import (
    authenticate,
    change_password,
    find_valid_token,
    normalise_email,
    redeem_password_token,
    request_password_reset,
)
from lms.auth.sessions import (
    count_other_sessions,
    end_other_sessions,
    end_this_session,
    start_session,
)
from lms.auth.throttle import (
    account_and_address_key,
    account_key,
    address_key,
    wrong_credentials,
)
from lms.extensions import db, limiter


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _status(form) -> int:
    """Bad input comes back with what was typed and its errors, as 422; a first visit is 200."""
    return 422 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=address_key,
               methods=["POST"], deduct_when=wrong_credentials)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"],
               key_func=account_and_address_key, methods=["POST"], deduct_when=wrong_credentials)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=account_key,
               methods=["POST"], deduct_when=wrong_credentials)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user)  # a fresh session: nothing carried over, a new server record
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        db.session.commit()
        failed = True
    status = 401 if failed else _status(form)
    return render_template("auth/sign_in.html", form=form, failed=failed), status


@bp.route("/sign-out", methods=["POST"])
@allow(SIGNED_IN)
def sign_out():
    record("signed_out", current_user)
    end_this_session("signed_out")
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html", email=normalise_email(form.email.data))
    return render_template("auth/forgot_password.html", form=form), _status(form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def set_password(token: str):
    found = find_valid_token(token)
    if found is None:
        return render_template("auth/link_expired.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        problems = password_problems(form.password.data, email=found.user.email,
                                     name=found.user.name)
        if not problems:
            redeem_password_token(found, form.password.data)
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your password is set. Sign in with your email address and new password.",
                  "success")
            return redirect(url_for("auth.sign_in"))
        form.password.errors = list(form.password.errors) + problems
    return render_template("auth/set_password.html", form=form, user=found.user,
                           purpose=found.purpose), _status(form)


@bp.route("/account/password", methods=["GET", "POST"])
@allow(SIGNED_IN)
def change_own_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password(current_user.password_hash, form.current.data):
            form.current.errors = ["Your current password is not right."]
        elif problems := password_problems(form.password.data, email=current_user.email,
                                           name=current_user.name):
            form.password.errors = problems
        else:
            change_password(current_user, form.password.data)  # ends every session
            start_session(current_user._get_current_object())  # this browser stays, renewed
            db.session.commit()
            flash("Your password has changed. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form,
                           other_sessions=count_other_sessions(current_user)), _status(form)


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@allow(SIGNED_IN)
def sign_out_everywhere():
    end_other_sessions(current_user)
    db.session.commit()
    flash("You have been signed out on every other browser and device. You are still signed "
          "in here.", "success")
    return redirect(url_for("auth.change_own_password"))

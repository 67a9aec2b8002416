"""Sign in and out, set and reset passwords."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from lms.access import PUBLIC, SIGNED_IN, allow
from lms.audit.services import record
from lms.auth import bp
from lms.auth.forms import ChangePasswordForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from lms.auth.passwords import check_password, password_problems
from lms.auth.services import (
    authenticate,
    change_password,
    find_user_by_email,
    find_valid_token,
    normalise_email,
    redeem_password_token,
    send_password_link,
)
from lms.extensions import db, limiter


def _account_key() -> str:
    return "sign-in:" + normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    return response.status_code != 302


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
               methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session at sign-in: nothing carried over
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        db.session.commit()
        failed = True
    return render_template("auth/sign_in.html", form=form, failed=failed), (
        200 if not failed else 401
    )


@bp.route("/sign-out", methods=["POST"])
@allow(SIGNED_IN)
def sign_out():
    record("signed_out", current_user)
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
        user = find_user_by_email(form.email.data)
        if user is not None and user.active:
            send_password_link(user, "reset")
            db.session.commit()
        return render_template("auth/reset_sent.html", email=normalise_email(form.email.data))
    return render_template("auth/forgot_password.html", form=form)


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
                           purpose=found.purpose)


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
            change_password(current_user, form.password.data)
            db.session.commit()
            session.clear()
            login_user(current_user._get_current_object())  # this session stays, others end
            flash("Your password has changed. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)

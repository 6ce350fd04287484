"""Login at /login, logout as a POST to /logout, registration, password change, language."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..enterprises.services import EnterpriseInput
from ..errors import ValidationFailed
from ..security import is_safe_next
from . import services
from .forms import LoginForm, PasswordChangeForm, RegisterForm

bp = Blueprint("auth", __name__)


def home_for(user) -> str:
    if user.is_operator:
        return url_for("operator.dashboard")
    return url_for("main.dashboard")


def start_session(user, *, remember: bool = False) -> None:
    """A fresh session for a newly authenticated user (no fixation: the old one is dropped)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(home_for(current_user))
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data,
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_seconds=current_app.config["LOGIN_LOCK_SECONDS"],
                ip=request.remote_addr,
            )
        except services.LoginRefused as exc:
            form.form_errors.append(exc.message)
            return render_template("auth/login.html", form=form), 401
        start_session(user, remember=form.remember.data)
        target = form.next.data
        return redirect(target if is_safe_next(target) else home_for(user))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object(), action="logout", ip=request.remote_addr)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have been logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if request.method == "GET" and request.args.get("role") in ("lead", "sme"):
        form.role.data = request.args["role"]
    if form.validate_on_submit():
        data = EnterpriseInput.from_mapping(form.enterprise_data())
        try:
            user = services.register(
                data, email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, locale=session.get("lang"), ip=request.remote_addr,
            )
        except ValidationFailed as exc:
            form.apply_errors(exc.errors)
        else:
            start_session(user)
            flash(_("Welcome! Your enterprise is registered and waits for verification by the platform."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form), (400 if form.errors else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data, ip=request.remote_addr)
        except ValidationFailed as exc:
            form.current_password.errors = list(form.current_password.errors) + exc.errors["current_password"]
        else:
            # Every other session is over; this one continues under the new token.
            start_session(user)
            flash(_("Your password has been changed. Other sessions have been logged out."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


@bp.get("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            services.set_locale(current_user._get_current_object(), code)
    target = request.args.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.index"))

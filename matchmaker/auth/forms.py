"""Forms of the auth blueprint."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from ..forms import EnterpriseFieldsForm
from ..vocabulary import ROLES
from . import services


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me logged in on this computer"))
    next = HiddenField()


class PasswordRules:
    """The configured length rules, checked against the password in the form."""

    def __call__(self, form, field):
        problems = services.check_password_strength(
            field.data or "",
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
            max_length=current_app.config["PASSWORD_MAX_LENGTH"],
        )
        if problems:
            raise ValidationError(" ".join(problems))


class RegisterForm(EnterpriseFieldsForm):
    role = RadioField(_l("Register as"), validators=[InputRequired()],
                      choices=[SelectChoice(code, label) for code, label in ROLES.items()])
    display_name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=60)])
    email = EmailField(_l("Login e-mail"), validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)])
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), PasswordRules()],
        description=_l("At least 12 characters; Chinese characters and spaces are welcome."),
    )
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))])

    ENTERPRISE_FIELDS = EnterpriseFieldsForm.ENTERPRISE_FIELDS + ("role",)


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=256)])
    password = PasswordField(_l("New password"), validators=[InputRequired(), PasswordRules()],
                             description=_l("At least 12 characters."))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))])

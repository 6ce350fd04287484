"""The accept and decline forms of a suggestion (CSRF-protected form posts)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..vocabulary import DECLINE_REASONS
from .services import NOTE_MAX


class AcceptForm(FlaskForm):
    pass


class DeclineForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[], validators=[InputRequired(message=_l("Please choose a reason."))])
    note = TextAreaField(_l("Note for the other side (optional)"),
                         validators=[Optional(), Length(max=NOTE_MAX, message=_l("At most %(max)d characters."))],
                         description=_l("Your name is not shown; the other side sees your enterprise's answer only."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", _l("Choose a reason"))] + [(code, text) for code, text in DECLINE_REASONS.items()]

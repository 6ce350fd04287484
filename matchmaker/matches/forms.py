"""The stage and message forms of a match."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..vocabulary import MATCH_STAGES
from .services import MESSAGE_MAX, NOTE_MAX


class StageForm(FlaskForm):
    stage = SelectField(_l("New stage"), choices=[], validators=[InputRequired(message=_l("Please choose a stage."))])
    occurred_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Please give the date."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX, message=_l("At most %(max)d characters."))],
                         description=_l("Required when closing without a deal: say why."))

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [("", _l("Choose a stage"))] + [
            (code, text) for code, text in MATCH_STAGES.items() if code != current
        ]


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[
        InputRequired(message=_l("Please write a message.")),
        Length(max=MESSAGE_MAX, message=_l("At most %(max)d characters.")),
    ], render_kw={"rows": 3, "maxlength": MESSAGE_MAX})

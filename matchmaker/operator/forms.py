"""Forms of the operator console."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional


class EnterpriseStatusForm(FlaskForm):
    status = HiddenField(validators=[InputRequired(), AnyOf(["verified", "suspended", "rejected"])])
    reason = TextAreaField(_l("Reason (shown to the enterprise)"), validators=[Optional(), Length(max=1000)])

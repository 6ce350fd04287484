"""Forms of the operator console."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, HiddenField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError


class EnterpriseStatusForm(FlaskForm):
    status = HiddenField(validators=[InputRequired(), AnyOf(["verified", "suspended", "rejected"])])
    reason = TextAreaField(_l("Reason (shown to the enterprise)"), validators=[Optional(), Length(max=1000)])


class ReviewSettingsForm(FlaskForm):
    review_enterprises = BooleanField(_l("New enterprises need an operator's approval"),
                                      description=_l("Until an operator verifies an enterprise, its postings wait."))
    review_postings = BooleanField(_l("Postings need an operator's approval"),
                                   description=_l("Publishing a posting sends it to the review queue first."))


class DecisionForm(FlaskForm):
    decision = HiddenField(validators=[InputRequired(), AnyOf(["approve", "reject", "unpublish"])])
    reason = TextAreaField(_l("Reason (shown to the enterprise)"), validators=[Optional(), Length(max=1000)])


class RematchForm(FlaskForm):
    """Only the CSRF token: starting a rematch takes no input."""


class PeriodForm(FlaskForm):
    """The reporting period of the exports (read from the query string)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), name="from", validators=[Optional()])
    end = DateField(_l("To"), name="to", validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end of the period is before its start."))


class GapsForm(FlaskForm):
    class Meta:
        csrf = False

    threshold = DecimalField(_l("Score threshold"), places=2, default=None,
                             validators=[Optional(), NumberRange(min=0, max=1)],
                             description=_l("A need counts as a gap when its best suggestion scores below this."))

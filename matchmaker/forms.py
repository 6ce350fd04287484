"""Form pieces shared by several features: the enterprise fields with their choices and checks."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TelField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from . import reference, uscc
from .vocabulary import SIZES, TIERS


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def industry_choices() -> list[SelectChoice]:
    """GB/T 4754 大类 and 中类 grouped by 门类 (a select with optgroups: chosen, never typed)."""
    lang = _lang()
    choices = []
    for section in reference.industries("section"):
        group = section.label(lang)
        for division in reference.industry_children(section.code):
            choices.append(SelectChoice(division.code, division.label(lang), optgroup=group))
            choices.extend(SelectChoice(sub.code, "　" + sub.label(lang), optgroup=group)
                           for sub in reference.industry_children(division.code))
    return choices


def region_choices() -> list[SelectChoice]:
    """GB/T 2260 cities grouped by province (municipalities are their own city)."""
    lang = _lang()
    return [SelectChoice(code, name, optgroup=province.name(lang))
            for province in reference.provinces()
            for code, name in reference.region_choices("city", province=province.code, lang=lang)]


class EnterpriseFieldsForm(FlaskForm):
    """The enterprise's profile fields; registration adds the account, the profile page the rest."""

    name = StringField(_l("Enterprise name"), validators=[InputRequired(), Length(max=120)])
    uscc = StringField(
        _l("Unified social credit code"), validators=[InputRequired(), Length(max=24)],
        description=_l("18 characters, as on the business licence."),
    )
    tier = SelectField(_l("SME tier"), validators=[Optional()])
    industry = SelectField(_l("Industry (GB/T 4754-2017)"), validators=[InputRequired()])
    region = SelectField(_l("Region"), validators=[InputRequired()])
    size = SelectField(_l("Size"), validators=[Optional()])
    description = TextAreaField(
        _l("What the enterprise does"), validators=[Optional(), Length(max=2000)],
        description=_l("Main products, processes and technologies: the matcher reads this."),
    )
    website = URLField(_l("Website"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_l("Contact person"), validators=[InputRequired(), Length(max=60)])
    contact_phone = TelField(
        _l("Contact phone"),
        validators=[InputRequired(), Length(max=32),
                    Regexp(r"^\+?[0-9][0-9 \-()]{5,30}$", message=_l("Digits, spaces, + and - only."))],
    )
    contact_email = EmailField(_l("Contact e-mail"),
                               validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tier.choices = [SelectChoice("", _l("None"))] + [SelectChoice(code, text) for code, text in TIERS.items()]
        self.size.choices = [SelectChoice("", "—")] + [SelectChoice(code, text) for code, text in SIZES.items()]
        self.industry.choices = [SelectChoice("", _l("Choose an industry"))] + industry_choices()
        self.region.choices = [SelectChoice("", _l("Choose a region"))] + region_choices()

    def validate_uscc(self, field) -> None:
        """Checked here as well as in the service, so that it is reported with the other fields."""
        from .enterprises.services import uscc_error

        try:
            field.data = uscc.validate(field.data)
        except uscc.InvalidUSCC as exc:
            raise ValidationError(uscc_error(exc.code)) from exc

    ENTERPRISE_FIELDS = ("name", "uscc", "tier", "industry", "region", "size", "description", "website",
                         "contact_name", "contact_phone", "contact_email")

    def enterprise_data(self) -> dict:
        return {name: getattr(self, name).data for name in self.ENTERPRISE_FIELDS if name in self._fields}

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's field errors next to the fields (and the rest at the top of the form)."""
        for field, messages in errors.items():
            target = self._fields.get(field)
            if target is not None:
                target.errors = list(target.errors) + list(messages)
            else:
                self.form_errors.extend(messages)

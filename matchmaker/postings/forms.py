"""The posting form: common fields, and the kind-specific ones (kept in `details`) for the kind
being written. Kind and category are chosen before the form and fixed afterwards."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import (BooleanField, DateField, DecimalField, HiddenField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, widgets)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import industry_choices, region_choices
from ..vocabulary import CHAINS, CORE_CHAINS
from .services import DETAIL_FIELDS, MAX_DESCRIPTION, MAX_TAG, MAX_TAGS, MAX_TITLE, PostingInput, split_tags


def grouped(choices) -> list[SelectChoice]:
    """The shared choice lists as SelectChoice items with their optgroup (also from the older
    {group: [(code, label)]} shape)."""
    if isinstance(choices, dict):
        return [SelectChoice(code, text, optgroup=group) for group, options in choices.items() for code, text in options]
    return list(choices)


def option_groups(choices) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group, [(code, label)])] for templates that write their own <select>."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for choice in grouped(choices):
        groups.setdefault(choice.optgroup or "", []).append((choice.value, choice.label))
    return list(groups.items())


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _tags_check(form, field) -> None:
    tags = split_tags(field.data)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_l("At most %(n)d tags.", n=MAX_TAGS))
    if any(len(t) > MAX_TAG for t in tags):
        raise ValidationError(_l("A tag has at most %(n)d characters.", n=MAX_TAG))


def _some_chain(form, field) -> None:
    # not InputRequired: that would mark every checkbox "required" for the browser
    if not field.data:
        raise ValidationError(_l("Choose at least one chain."))


class PostingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=MAX_TITLE)],
                        description=_l("At most %(n)d characters.", n=MAX_TITLE))
    description = TextAreaField(_l("Description"), validators=[InputRequired(), Length(max=MAX_DESCRIPTION)],
                                description=_l("What is offered or needed, in Chinese or English: the matcher reads it."),
                                render_kw={"rows": 8, "maxlength": MAX_DESCRIPTION})
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=MAX_TAGS * (MAX_TAG + 2)), _tags_check],
                       description=_l("Up to %(n)d keywords separated by commas, e.g. 液冷板, CNC, IATF16949.", n=MAX_TAGS))
    industry = SelectField(_l("Industry (GB/T 4754-2017)"), validators=[InputRequired()])
    region = SelectField(_l("Region"), validators=[InputRequired()])
    chains = CheckboxesField(_l("Chains served"), validators=[_some_chain],
                             description=_l("Proposed from the kind and category; change them if they do not fit."))
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    deadline = DateField(_l("Deadline"), validators=[Optional()],
                         description=_l("The posting is shown until this day and then expires."))
    # need
    specification = TextAreaField(_l("Specification"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 3},
                                  description=_l("Technical requirements, standards, drawings available on request…"))
    quantity = StringField(_l("Quantity"), validators=[Optional(), Length(max=100)],
                           description=_l("For example: 200,000 pieces a year."))
    delivery_region = SelectField(_l("Target delivery region"), validators=[Optional()])
    # challenge
    problem = TextAreaField(_l("Problem to solve"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    indicators = TextAreaField(_l("Target indicators"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3},
                               description=_l("The measurable results that count as solved, one a line."))
    budget_min = DecimalField(_l("Budget from (10,000 yuan)"), places=2,
                              validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    budget_max = DecimalField(_l("Budget up to (10,000 yuan)"), places=2,
                              validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    # capability
    capacity = TextAreaField(_l("Capacity"), validators=[Optional(), Length(max=500)], render_kw={"rows": 2},
                             description=_l("Output, lines, equipment or team size."))
    certifications = StringField(_l("Certifications"), validators=[Optional(), Length(max=300)],
                                 description=_l("Separated by commas, for example: ISO 9001, IATF 16949."))
    references = TextAreaField(_l("References"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2},
                               description=_l("Customers served or projects delivered."))
    # lead enterprises only
    anonymous = BooleanField(_l("Publish anonymously"),
                             description=_l("Others see “an anonymous lead enterprise” until you have a match with them."))
    wants_specialized = BooleanField(_l("Prefer specialized and sophisticated SMEs"))
    version = HiddenField()

    COMMON = ("title", "description", "tags", "industry", "region", "chains", "valid_from", "deadline")

    def __init__(self, *args, side: str, kind: str, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.side, self.kind, self.category = side, kind, category
        self.industry.choices = [SelectChoice("", _l("Choose an industry"))] + grouped(industry_choices())
        regions = grouped(region_choices())
        self.region.choices = [SelectChoice("", _l("Choose a region"))] + regions
        self.delivery_region.choices = [SelectChoice("", _l("Any region"))] + regions
        self.chains.choices = [(code, text) for code, text in CHAINS.items()]
        for name in {n for fields in DETAIL_FIELDS.values() for n in fields} - set(DETAIL_FIELDS.get(kind, {})):
            delattr(self, name)
        if side != "lead":
            del self.anonymous
            del self.wants_specialized
        elif kind == "resource":
            del self.wants_specialized
        if side == "lead" and kind in ("need", "challenge"):
            self.deadline.validators = [InputRequired()]
            self.deadline.flags.required = True

    @property
    def detail_fields(self) -> list:
        return [self[name] for name in DETAIL_FIELDS.get(self.kind, {})]

    @property
    def core_chains(self) -> tuple[str, ...]:
        return CORE_CHAINS

    def validate_budget_max(self, field) -> None:
        low = self.budget_min.data if "budget_min" in self else None
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The maximum is below the minimum."))

    def fill_from(self, posting) -> None:
        """Pre-fill from a posting (on GET of the edit page)."""
        self.title.data, self.description.data = posting.title, posting.description
        self.tags.data = ", ".join(posting.tags or [])
        self.industry.data, self.region.data = posting.industry, posting.region
        self.chains.data = list(posting.chains or [])
        self.valid_from.data, self.deadline.data = posting.valid_from, posting.deadline
        for field in self.detail_fields:
            value = (posting.details or {}).get(field.name)
            if isinstance(value, list):
                value = ("\n" if field.name == "indicators" else ", ").join(value)
            field.data = value
        if "anonymous" in self:
            self.anonymous.data = posting.anonymous
        if "wants_specialized" in self:
            self.wants_specialized.data = posting.wants_specialized
        self.version.data = str(posting.version)

    def posting_input(self) -> PostingInput:
        details = {}
        for field in self.detail_fields:
            value = field.data
            if value is not None and value != "":
                details[field.name] = str(value) if field.type == "DecimalField" else value
        return PostingInput(
            kind=self.kind, category=self.category, title=self.title.data or "",
            description=self.description.data or "", tags=split_tags(self.tags.data),
            industry=self.industry.data or None, region=self.region.data or None, chains=list(self.chains.data or []),
            details=details, anonymous=bool("anonymous" in self and self.anonymous.data),
            wants_specialized=bool("wants_specialized" in self and self.wants_specialized.data),
            valid_from=self.valid_from.data, deadline=self.deadline.data,
        )

    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = self._fields.get(name)
            if target is not None:
                target.errors = list(target.errors) + list(messages)
            else:
                self.form_errors.extend(messages)

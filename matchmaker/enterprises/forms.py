"""Forms of the enterprises blueprint."""

from ..forms import EnterpriseFieldsForm


class ProfileForm(EnterpriseFieldsForm):
    """The profile as its enterprise edits it (the role stays what it was at registration)."""

"""The console's forms: they parse and validate what an analyst sends, nothing more."""

from __future__ import annotations

import json

from django import forms

from accounts.auth import SCOPES
from accounts.models import AnalystDecision, Band, Label, Pathway, Status
from console.policy_edit import THRESHOLD_BANDS, PathwayRules, field_name
from console.roles import ROLES
from console.selectors import QUEUE_SORTS, AuditFilters, QueueFilters
from enforcement import policy as enforcement_policy
from riskscore.policy import BANDS, VERIFICATION_STEPS


def _choices(enum, blank: str = "any") -> list[tuple[str, str]]:
    return [("", blank)] + [(value, label.replace("_", " ")) for value, label in enum.choices]


class QueueFilterForm(forms.Form):
    pathway = forms.ChoiceField(choices=_choices(Pathway), required=False)
    band = forms.ChoiceField(choices=_choices(Band), required=False)
    status = forms.ChoiceField(choices=_choices(Status), required=False)
    cluster = forms.CharField(max_length=64, required=False, help_text="a cluster id, 'any' or 'none'")
    signup_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    signup_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    review = forms.ChoiceField(
        choices=[("open", "not yet reviewed"), ("reviewed", "reviewed"), ("all", "all")], required=False
    )
    sort = forms.ChoiceField(
        choices=[(key, {"evidence": "newest evidence", "score": "highest score"}[key]) for key in QUEUE_SORTS],
        required=False,
    )

    def filters(self) -> QueueFilters:
        data = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        return QueueFilters(**data)


LABEL_CHOICES = [("", "no label")] + list(Label.choices)


class DecisionForm(forms.Form):
    label = forms.ChoiceField(choices=LABEL_CHOICES, required=False)
    action = forms.ChoiceField(choices=AnalystDecision.Action.choices, initial="none", required=False)
    note = forms.CharField(
        max_length=5000, widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Why? (required)"}), strip=True
    )

    def clean(self):
        data = super().clean()
        data["action"] = data.get("action") or "none"
        if not data.get("label") and data["action"] == "none":
            raise forms.ValidationError("choose a label, an action, or both")
        return data

    @property
    def label_value(self) -> str | None:
        return self.cleaned_data["label"] or None


class BulkDecisionForm(DecisionForm):
    account_ids = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.selected = self.data.getlist("account_ids") if hasattr(self.data, "getlist") else []

    def clean(self):
        data = super().clean()
        if not self.selected:
            raise forms.ValidationError("select at least one account")
        return data


class AuditFilterForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, label="search")
    action = forms.CharField(max_length=64, required=False)
    object_type = forms.ChoiceField(
        choices=[("", "any"), ("account", "account"), ("cluster", "cluster"), ("model", "model")]
        + [("policy", "policy"), ("api_key", "API key"), ("user", "user")],
        required=False,
    )
    actor = forms.CharField(max_length=200, required=False)

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            query=data["q"], action=data["action"], object_type=data["object_type"], actor=data["actor"]
        )


class PolicyForm(forms.Form):
    """Thresholds and verification steps for every pathway, with the current policy as initial values."""

    def __init__(self, *args, rows: list[PathwayRules], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        steps = [(step, step.replace("_", " ")) for step in VERIFICATION_STEPS]
        for row in rows:
            for band in THRESHOLD_BANDS:
                self.fields[field_name(row.pathway, "threshold", band)] = forms.FloatField(
                    min_value=0.0, max_value=1.0, initial=row.thresholds[band], label=band
                )
            for band in BANDS:
                self.fields[field_name(row.pathway, "verification", band)] = forms.MultipleChoiceField(
                    choices=steps,
                    required=False,
                    initial=row.verification[band],
                    label=band,
                    widget=forms.CheckboxSelectMultiple,
                )

    def clean(self):
        data = super().clean()
        for row in self.rows:
            cuts = [data.get(field_name(row.pathway, "threshold", band)) for band in THRESHOLD_BANDS]
            if None not in cuts and cuts != sorted(cuts):
                raise forms.ValidationError(f"{row.pathway}: thresholds need medium ≤ high ≤ critical")
        return data

    def sections(self):
        """Fields grouped for the template: per pathway, threshold fields then verification fields by band."""
        for row in self.rows:
            yield (
                row,
                [self[field_name(row.pathway, "threshold", band)] for band in THRESHOLD_BANDS],
                [self[field_name(row.pathway, "verification", band)] for band in BANDS],
            )


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100)
    scopes = forms.MultipleChoiceField(choices=[(s, s) for s in SCOPES], widget=forms.CheckboxSelectMultiple)


class UserForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(min_length=10, widget=forms.PasswordInput)
    role = forms.ChoiceField(choices=[(role, role) for role in ROLES])


class EnforcementPolicyForm(forms.Form):
    """The enforcement policy as its JSON document: tiers, limits and rules are nested, and admins edit them whole."""

    document = forms.CharField(widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}))

    def clean_document(self) -> dict:
        try:
            document = json.loads(self.cleaned_data["document"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"not JSON: {exc}") from None
        if not isinstance(document, dict):
            raise forms.ValidationError("an enforcement policy is a JSON object")
        try:
            enforcement_policy.validate(document)
        except enforcement_policy.InvalidEnforcementPolicy as exc:
            raise forms.ValidationError(str(exc)) from None
        return document

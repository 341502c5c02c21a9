"""The decision policy: bands, decisions and verification steps per pathway, changed without code."""

import copy

import pytest

from riskscore import policy
from riskscore.policy import DEFAULT_POLICY, InvalidPolicy, decide


def test_default_policy_is_valid():
    policy.validate(DEFAULT_POLICY)


def test_low_score_is_a_plain_allow_without_steps():
    outcome = decide(probability=0.01, pathway="education", document=DEFAULT_POLICY)
    assert (outcome.band, outcome.decision, outcome.verification, outcome.status) == ("low", "allow", [], "active")


def test_medium_education_signup_is_asked_for_an_institution_email():
    outcome = decide(probability=0.3, pathway="education", document=DEFAULT_POLICY)
    assert outcome.decision == "verify"
    assert outcome.verification == ["institution_email"]
    assert outcome.status == "verification_required"


def test_medium_startup_signup_is_asked_for_a_payment_method():
    assert decide(probability=0.3, pathway="startup", document=DEFAULT_POLICY).verification == ["payment_method"]


def test_critical_score_is_denied_and_suspended():
    outcome = decide(probability=0.95, pathway="standard", document=DEFAULT_POLICY)
    assert (outcome.band, outcome.decision, outcome.status) == ("critical", "deny", "suspended")


def test_enterprise_thresholds_override_the_default():
    assert decide(probability=0.25, pathway="standard", document=DEFAULT_POLICY).band == "medium"
    assert decide(probability=0.25, pathway="enterprise", document=DEFAULT_POLICY).band == "low"


def test_deciding_for_a_pathway_with_overrides_leaves_the_document_as_it_was():
    before = copy.deepcopy(DEFAULT_POLICY)
    outcome = decide(probability=0.3, pathway="enterprise", document=DEFAULT_POLICY)
    outcome.verification.append("changed by the caller")
    assert before == DEFAULT_POLICY


def test_threshold_equal_to_the_score_takes_the_higher_band():
    assert decide(probability=0.5, pathway="standard", document=DEFAULT_POLICY).band == "high"


def test_unsorted_thresholds_are_refused():
    document = copy.deepcopy(DEFAULT_POLICY)
    document["default"]["band_thresholds"] = {"medium": 0.6, "high": 0.5, "critical": 0.9}
    with pytest.raises(InvalidPolicy):
        policy.validate(document)


def test_unknown_verification_step_is_refused():
    document = copy.deepcopy(DEFAULT_POLICY)
    document["pathways"]["education"]["verification"]["high"] = ["retina_scan"]
    with pytest.raises(InvalidPolicy):
        policy.validate(document)


def test_unknown_pathway_is_refused():
    document = copy.deepcopy(DEFAULT_POLICY)
    document["pathways"]["military"] = {}
    with pytest.raises(InvalidPolicy):
        policy.validate(document)


def test_saved_policy_is_the_one_in_force(db):
    document = copy.deepcopy(DEFAULT_POLICY)
    document["default"]["band_thresholds"] = {"medium": 0.0, "high": 0.0, "critical": 0.0}
    saved = policy.save_policy(document, actor="test")
    version, current = policy.current_policy.get()
    assert version == saved.version == 1
    assert decide(probability=0.0, pathway="standard", document=current).decision == "deny"


def test_invalid_policy_is_not_saved(db):
    with pytest.raises(InvalidPolicy):
        policy.save_policy({"default": {}}, actor="test")
    assert policy.current_policy.get() == (0, DEFAULT_POLICY)

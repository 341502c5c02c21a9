"""Re-scoring stored accounts with the active model."""

from accounts.models import Account
from accounts.services import register_signup
from riskscore.rescoring import rescore_accounts
from tests.builders import signup_input
from tests.riskscore.test_registry import register_tiny


def test_rescore_writes_a_history_entry_with_the_new_model(baseline):
    account = register_signup(signup=signup_input()).account
    result = rescore_accounts(account_ids=[account.account_id, "ghost"], trigger="manual")
    assert result == {"rescored": 1, "unknown_account_ids": ["ghost"]}
    assert [r.trigger for r in account.scores.order_by("-scored_at", "-id")] == ["manual", "signup"]


def test_rescore_under_a_new_model_updates_the_current_score(baseline):
    from riskscore import registry
    from riskscore.features.signup import SIGNUP_FEATURES

    account = register_signup(signup=signup_input()).account
    model = register_tiny("flat")
    model.feature_names = list(SIGNUP_FEATURES[:3])
    model.calibration = {"x": [-100.0, 100.0], "y": [0.9, 0.9]}
    model.save()
    registry.activate("flat")
    registry.active_models.clear()
    rescore_accounts(account_ids=None, trigger="manual")
    account = Account.objects.get(pk=account.pk)
    assert (account.score, account.model_version, account.band) == (0.9, "flat", "critical")

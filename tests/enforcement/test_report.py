"""The per-population tier report over the simulator's ground truth."""

from io import StringIO

from django.core.management import call_command

from accounts.services import DecisionInput, record_decision
from riskscore.models import SimulatedAccount
from tests.enforcement.builders import new_account


def test_the_report_gives_each_population_and_campaign_its_share_of_tiers(baseline):
    students = [new_account() for _ in range(3)]
    farm = new_account()
    for account in students:
        SimulatedAccount.objects.create(account=account, population="student", is_abusive=False)
    SimulatedAccount.objects.create(account=farm, population="campaign", campaign_style="card_pool", is_abusive=True)
    record_decision(decision=DecisionInput(farm.account_id, "abusive", "ban", ""), actor="test")
    out = StringIO()
    call_command("enforcement_report", stdout=out)
    lines = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()[1:]}
    assert lines["student"] == ["3", "0.0%", "0.0%", "100.0%", "0.0%", "0.0%"]
    assert lines["campaign:card_pool"] == ["1", "0.0%", "0.0%", "0.0%", "0.0%", "100.0%"]

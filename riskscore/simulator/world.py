"""What every population in one simulation shares: VPN exits, mobile carrier NATs, coworking offices and names taken.

Sharing these between unrelated legitimate people, and with campaigns, is what keeps an IP prefix or a busy
exit from being proof of abuse on its own.
"""

import random
from dataclasses import dataclass, field

from riskscore.simulator.countries import STARTUP_COUNTRY_WEIGHTS
from riskscore.simulator.networks import (
    CORPORATE_PROXY_BLOCKS,
    VPN_BLOCKS,
    host_in,
    ipv4_text,
    random_prefix24,
    residential_prefix24,
)


@dataclass(slots=True)
class World:
    rng: random.Random
    vpn_exits: tuple[int, ...]  # /24 networks of commercial VPN exits
    corporate_proxies: tuple[int, ...]  # /24 networks of a cloud security proxy many companies egress through
    coworking: tuple[tuple[str, int], ...]  # (country, /24) of shared offices startups rent desks in
    mobile_nats: dict[str, list[int]] = field(default_factory=dict)  # carrier-grade NAT /24s per country
    emails: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, rng: random.Random, *, accounts: int) -> "World":
        vpn = tuple(random_prefix24(rng, VPN_BLOCKS) for _ in range(max(15, accounts // 1500)))
        proxies = tuple(random_prefix24(rng, CORPORATE_PROXY_BLOCKS) for _ in range(8))
        countries = rng.choices(list(STARTUP_COUNTRY_WEIGHTS), weights=list(STARTUP_COUNTRY_WEIGHTS.values()), k=12)
        coworking = tuple((c, residential_prefix24(rng, c)) for c in countries)
        return cls(rng, vpn, proxies, coworking)

    def vpn_ip(self) -> str:
        # Exits are few and busy; the same address serves many customers at once.
        prefix = self.rng.choice(self.vpn_exits)
        if self.rng.random() < 0.5:
            return ipv4_text(prefix + 1 + (prefix >> 8) % 254)
        return host_in(self.rng, prefix)

    def mobile_ip(self, country: str) -> str:
        """An address behind a carrier's NAT, where thousands of phones share a handful of /24s."""
        pool = self.mobile_nats.setdefault(country, [])
        if not pool or self.rng.random() < 0.25:
            pool.append(residential_prefix24(self.rng, country))
        return host_in(self.rng, self.rng.choice(pool))

    def email(self, local: str, domain: str) -> str:
        """A unique address; a taken handle gets digits appended, as the mail provider would insist."""
        address = f"{local}@{domain}"
        while address in self.emails:
            address = f"{local}{self.rng.randint(2, 999)}@{domain}"
        self.emails.add(address)
        return address

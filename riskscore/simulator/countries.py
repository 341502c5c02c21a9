"""Per-country facts a simulated person carries: time zone, names, favourite webmail and mobile numbering.

Mobile prefixes are ones libphonenumber accepts as valid mobile ranges, so phones pass E.164 validation.
"""

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    tz_offset_hours: float
    names: str  # key into identities.NAMES
    webmail: tuple[tuple[str, float], ...]  # local providers people there use besides the global ones
    mobile: tuple[tuple[str, int], ...]  # (E.164 prefix, digits that follow)


_US_AREAS = ("415", "650", "212", "646", "917", "312", "617", "206", "512", "408", "510", "213", "305", "404")
# 555-0100..0199 is reserved for fiction yet a valid number shape; testers and fakers both use it.
_US_MOBILE = tuple((f"+1{area}{first}", 6) for area in _US_AREAS for first in "2345679") + (("+141555501", 2),)


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("US", -6, "en", (("yahoo.com", 0.4), ("aol.com", 0.1)), _US_MOBILE),
        Country(
            "CA",
            -5,
            "en",
            (("hotmail.com", 0.2),),
            tuple((f"+1{a}{e}", 6) for a in ("416", "647", "604", "514") for e in "2345679"),
        ),
        Country(
            "GB",
            0,
            "en",
            (("hotmail.co.uk", 0.3), ("btinternet.com", 0.1)),
            tuple((p, 8) for p in ("+4474", "+4475", "+4478")) + (("+44790", 7), ("+44797", 7)),
        ),
        Country(
            "DE",
            1,
            "de",
            (("gmx.de", 0.35), ("web.de", 0.3), ("gmx.net", 0.1)),
            (("+49151", 8), ("+49152", 8), ("+49160", 7), ("+49170", 7), ("+49176", 8)),
        ),
        Country(
            "FR",
            1,
            "fr",
            (("orange.fr", 0.2), ("free.fr", 0.15)),
            tuple((f"+336{x}", 7) for x in "1245678") + (("+3376", 7), ("+3377", 7)),
        ),
        Country("NL", 1, "nl", (("hotmail.com", 0.2),), tuple((f"+316{x}", 7) for x in "12345")),
        Country("SE", 1, "se", (("hotmail.com", 0.2),), (("+4670", 7), ("+4672", 7), ("+4673", 7), ("+4676", 7))),
        Country("CH", 1, "de", (("gmx.ch", 0.2), ("bluewin.ch", 0.2)), tuple((f"+417{x}", 7) for x in "6789")),
        Country(
            "IN",
            5.5,
            "in",
            (("rediffmail.com", 0.1), ("yahoo.co.in", 0.2)),
            tuple((f"+919{x}", 8) for x in "0123456789"),
        ),
        Country(
            "CN",
            8,
            "cn",
            (("qq.com", 1.5), ("163.com", 0.8), ("126.com", 0.3)),
            tuple((f"+8613{x}", 8) for x in "0123456789") + tuple((f"+8618{x}", 8) for x in "0256789"),
        ),
        Country(
            "JP", 9, "jp", (("yahoo.co.jp", 0.5),), tuple((f"+81{a}{x}", 7) for a in ("90", "80") for x in "12345678")
        ),
        Country("KR", 9, "kr", (("naver.com", 1.0), ("daum.net", 0.3)), tuple((f"+8210{x}", 7) for x in "2346789")),
        Country("SG", 8, "en", (("hotmail.com", 0.2),), (("+6581", 6), ("+6591", 6), ("+6590", 6), ("+6597", 6))),
        Country("AU", 10, "en", (("bigpond.com", 0.15),), tuple((f"+614{x}", 7) for x in "01236")),
        Country("IL", 2, "he", (("walla.co.il", 0.1),), (("+97253", 7), ("+97256", 7))),
        Country("BR", -3, "pt", (("uol.com.br", 0.2), ("bol.com.br", 0.1)), (("+55119", 8), ("+55219", 8))),
        Country("NG", 1, "ng", (("yahoo.com", 0.5),), (("+234803", 7), ("+234806", 7), ("+234813", 7))),
        Country("VN", 7, "vn", (("yahoo.com", 0.2),), (("+8491", 7), ("+8490", 7), ("+8498", 7))),
        Country("RU", 3, "ru", (("mail.ru", 1.0), ("yandex.ru", 0.8)), (("+79", 9),)),
    )
}

# Where individual API customers come from; the US dominates, as it does for most providers.
INDIVIDUAL_COUNTRY_WEIGHTS: dict[str, float] = {
    "US": 34, "IN": 10, "GB": 6, "DE": 5, "BR": 5, "CA": 4, "FR": 4, "JP": 3, "KR": 3, "CN": 3, "AU": 3,
    "NG": 3, "VN": 2, "NL": 2, "RU": 2, "SE": 1, "SG": 1, "CH": 1, "IL": 1,
}  # fmt: skip

STARTUP_COUNTRY_WEIGHTS: dict[str, float] = {
    "US": 50, "GB": 8, "IN": 8, "DE": 6, "CA": 5, "FR": 4, "SG": 4, "IL": 4, "BR": 3, "NL": 2, "SE": 2, "CH": 2,
    "AU": 2,
}  # fmt: skip

# Numbers from internet telephony ranges (UK 056, Dutch 085): cheap to get in bulk, but also used by real people.
VOIP_PREFIXES: tuple[tuple[str, int], ...] = (("+4456", 8), ("+3185", 7))


def declared_country(rng: random.Random, country: str, home: str) -> str | None:
    """The optional country field: usually where the person is, sometimes where they are from, often left blank."""
    roll = rng.random()
    return country if roll < 0.84 else home if roll < 0.91 else None

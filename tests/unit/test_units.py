"""Area unit conversions."""

import pytest

from webapp.domain.units import M2_PER_MU, format_number, m2_to_ha, m2_to_mu, mu_to_m2


def test_mu_is_one_fifteenth_of_a_hectare():
    assert pytest.approx(666.6667, abs=1e-4) == M2_PER_MU


def test_m2_to_mu_matches_printed_notice():
    # A real notice prints 32 917.91 m² as "合 49.38 亩".
    assert round(m2_to_mu(32917.91), 2) == 49.38


def test_mu_to_m2_inverts_m2_to_mu():
    assert mu_to_m2(m2_to_mu(12345.6)) == pytest.approx(12345.6)


def test_m2_to_ha_divides_by_ten_thousand():
    assert m2_to_ha(15000) == 1.5


@pytest.mark.parametrize(("value", "expected"), [(1234.5, "1,234.50"), (None, "—"), (0, "0.00")])
def test_format_number_uses_two_decimals(value, expected):
    assert format_number(value) == expected

"""Countries and nationalities as ISO 3166-1 alpha-3 codes (from pycountry), plus the ICAO
Doc 9303 codes passports use for people with no country of nationality."""

from functools import cache

import pycountry

# ICAO Doc 9303 part 3: codes printed in passports and travel documents.
_TRAVEL_DOCUMENT_CODES = {
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXX": "Unspecified nationality",
}


@cache
def country_names() -> dict[str, str]:
    """Code to plain name, sorted by name ("Iran" rather than "Iran, Islamic Republic of")."""
    names = {
        country.alpha_3: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }
    return dict(sorted(names.items(), key=lambda item: item[1]))


@cache
def nationality_names() -> dict[str, str]:
    return {**country_names(), **_TRAVEL_DOCUMENT_CODES}


def country_choices() -> list[tuple[str, str]]:
    return list(country_names().items())


def nationality_choices() -> list[tuple[str, str]]:
    return list(nationality_names().items())

"""Each rule of the password policy (DOMAIN.md) refuses a new password with its own message."""

import pytest

from sponsorship.accounts.password_policy import SPECIAL_CHARACTERS

from .factories import Level1Factory
from .journeys import text

TOO_SHORT = "Password must be at least 12 characters long"
TOO_LONG = "Password must be 256 characters or fewer"
NO_UPPER = "Password must include a capital letter (A to Z)"
NO_LOWER = "Password must include a lower-case letter (a to z)"
NO_DIGIT = "Password must include a number (0 to 9)"
NO_SPECIAL = "Password must include one of these characters: @#$!%^&amp;*+=_"
HAS_SPACE = "Password must not contain spaces"
HAS_USER_ID = "Password must not contain your user ID"
HAS_NAME = "Password must not contain your name"
RULES = [TOO_SHORT, TOO_LONG, NO_UPPER, NO_LOWER, NO_DIGIT, NO_SPECIAL, HAS_SPACE]
RULES += [HAS_USER_ID, HAS_NAME]


@pytest.fixture
def newcomer(sponsor):
    """A Level 1 user at first sign-in: user ID NEWCOMER7, named Zoë Hartley."""
    return Level1Factory(
        sponsor=sponsor,
        username="NEWCOMER7",
        given_names="Zoë",
        family_name="Hartley",
        must_change_password=True,
    )


@pytest.fixture
def choose(signed_in, newcomer, django_capture_on_commit_callbacks):
    """`choose(password)`: the newcomer's answer to the forced password change page."""
    client = signed_in(newcomer)

    def _choose(password: str, confirm: str | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/account/password/",
                {
                    "new_password": password,
                    "confirm_password": password if confirm is None else confirm,
                },
            )

    return _choose


def assert_refused_only_for(response, message: str, newcomer) -> None:
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert [rule for rule in RULES if rule in page] == [message]
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


@pytest.mark.parametrize(
    ("password", "message"),
    [
        pytest.param("Short#1Abcd", TOO_SHORT, id="11 characters"),
        pytest.param("Ab1#" + "x" * 253, TOO_LONG, id="257 characters"),
        pytest.param("lower#case1234", NO_UPPER, id="no capital"),
        pytest.param("UPPER#CASE1234", NO_LOWER, id="no lower-case"),
        pytest.param("No#Digits#Here", NO_DIGIT, id="no digit"),
        pytest.param("NoSpecial12345", NO_SPECIAL, id="no special"),
        pytest.param("Only-Dash?1234", NO_SPECIAL, id="special not in the list"),
        pytest.param("Has Space#1234", HAS_SPACE, id="space"),
        pytest.param("Has\tTab#12345", HAS_SPACE, id="tab"),
        pytest.param("Xnewcomer7#Abc", HAS_USER_ID, id="user ID, other case"),
        pytest.param("AbNEWCOMER7#c1", HAS_USER_ID, id="user ID"),
        pytest.param("Hartley#2024ab", HAS_NAME, id="family name"),
        pytest.param("hartley#2024AB", HAS_NAME, id="family name, other case"),
        pytest.param("Zoë#Garden2024", HAS_NAME, id="given name"),
    ],
)
def test_each_rule_has_its_own_message(choose, newcomer, password, message):
    assert_refused_only_for(choose(password), message, newcomer)


def test_a_password_breaking_several_rules_gets_every_message(choose):
    page = text(choose("short"))
    for message in (TOO_SHORT, NO_UPPER, NO_DIGIT, NO_SPECIAL):
        assert message in page


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("Twelve#Char1", id="12 characters"),
        pytest.param("Ab1#" + "x" * 252, id="256 characters"),
    ],
)
def test_length_limits_are_inclusive(choose, newcomer, password):
    assert choose(password).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(password)


@pytest.mark.parametrize("special", list(SPECIAL_CHARACTERS))
def test_every_listed_special_character_is_accepted(choose, newcomer, special):
    password = f"Garden{special}Path2024"
    assert choose(password).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(password)


def test_confirmation_must_match(choose, newcomer):
    response = choose("Garden#Path2024", confirm="Garden#Path2025")
    assert response.status_code == 400
    assert "The two passwords do not match" in text(response)
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_empty_form_asks_for_both_fields(choose):
    page = text(choose("", confirm=""))
    assert "Enter a new password" in page
    assert "Enter the new password again to confirm it" in page

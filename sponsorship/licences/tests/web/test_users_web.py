"""Managing the licence's users in the web service: the list, requesting a Level 1 user,
creating a Level 2 user, a user's page, amending details and deactivating."""

import pytest
from django.core import mail

from sponsorship.accounts.models import User, UserLevel, UserStatus
from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditEvent, AuditVerb
from sponsorship.licences.models import LicenceRequest, LicenceStatus, RequestKind

from .support import field_error, make_provisional, queries_for, text

NEW_USER = {
    "given_names": "Aisha",
    "family_name": "Bello",
    "email": "aisha.bello@harbourview.example",
    "job_title": "HR officer",
    "phone": "020 7946 0000",
    "work_address_line_1": "1 High Street",
    "work_town": "London",
    "work_postcode": "sw1a 2aa",
}


def details_of(user: User, **changes: object) -> dict[str, object]:
    """What the amend form posts for `user`, with `changes` made."""
    data: dict[str, object] = {
        "version": user.version,
        "given_names": user.given_names,
        "family_name": user.family_name,
        "email": user.email,
        "job_title": user.job_title,
        "phone": user.phone,
        "work_address_line_1": user.work_address_line_1,
        "work_town": user.work_town,
        "work_postcode": user.work_postcode,
    }
    if user.is_settled_worker:
        data["is_settled_worker"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


@pytest.fixture
def web(signed_in, level1):
    return signed_in(level1)


@pytest.fixture
def colleague(sponsor):
    """A second active Level 1 user, settled like the first."""
    return Level1Factory(
        sponsor=sponsor, username="LNOWAK01", given_names="Łukasz", family_name="Nowak"
    )


# ---------------------------------------------------------------- every page, who may use it


def pages(user_id: int) -> list[str]:
    return [
        "/licence/users/",
        "/licence/users/request-level-1/",
        "/licence/users/new-level-2/",
        f"/licence/users/{user_id}/",
        f"/licence/users/{user_id}/amend/",
        f"/licence/users/{user_id}/deactivate/",
    ]


def test_every_page_renders_for_level1(web, level1, level2):
    for url in pages(level2.pk):
        response = web.get(url)
        assert response.status_code == 200, url
        assert "There is a problem" not in text(response), url


def test_level2_is_refused_every_page(signed_in, level2, level1):
    client = signed_in(level2)
    for url in pages(level1.pk):
        assert client.get(url).status_code == 403, url
        assert client.post(url, NEW_USER).status_code == 403, url
    assert User.objects.filter(sponsor=level1.sponsor).count() == 2


def test_a_provisionally_rated_licence_cannot_manage_users(signed_in, level1, level2, sponsor):
    make_provisional(sponsor)
    client = signed_in(level1)
    for url in pages(level2.pk):
        response = client.get(url)
        assert response.status_code == 409, url
        assert "While your licence is provisionally rated you cannot manage users here." in text(
            response
        )
        assert "Send a change request to the Home Office instead." in text(response)
    assert client.post("/licence/users/new-level-2/", NEW_USER).status_code == 409
    assert not User.objects.filter(email=NEW_USER["email"]).exists()


def test_a_dormant_licence_cannot_manage_users(signed_in, level1, level2, sponsor):
    sponsor.status = LicenceStatus.DORMANT
    sponsor.save()
    client = signed_in(level1)
    for url in pages(level2.pk):
        assert client.get(url).status_code == 409, url


@pytest.mark.parametrize("suffix", ["", "amend/", "deactivate/"])
def test_another_sponsors_user_is_not_found(web, other_level1, suffix):
    url = f"/licence/users/{other_level1.pk}/{suffix}"
    assert web.get(url).status_code == 404
    assert web.post(url, details_of(other_level1, given_names="Changed")).status_code == 404
    other_level1.refresh_from_db()
    assert other_level1.status == UserStatus.ACTIVE
    assert other_level1.given_names != "Changed"


def test_a_user_id_that_does_not_exist_is_not_found(web):
    assert web.get("/licence/users/999999/").status_code == 404


# ---------------------------------------------------------------- the list


def test_the_list_shows_every_user_with_level_status_and_email(web, level1, level2, sponsor):
    Level1Factory(sponsor=sponsor, username="REQUESTED1", status=UserStatus.REQUESTED)
    Level2Factory(sponsor=sponsor, username="REFUSED01", status=UserStatus.REFUSED)
    Level2Factory(sponsor=sponsor, username="GONE00001", status=UserStatus.DEACTIVATED_BY_SPONSOR)
    Level2Factory(
        sponsor=sponsor, username="GONEHO001", status=UserStatus.DEACTIVATED_BY_HOME_OFFICE
    )
    response = web.get("/licence/users/")
    page = response.content.decode()
    for user_id in ("LEVELONE1", "LEVELTWO1", "REQUESTED1", "REFUSED01", "GONE00001", "GONEHO001"):
        assert user_id in page
    assert "Zoë Hartley" in page
    assert "Priya Raman" in page
    assert level2.email in page
    for tag in (
        '<strong class="govuk-tag govuk-tag--green">Active</strong>',
        '<strong class="govuk-tag govuk-tag--light-blue">Requested</strong>',
        '<strong class="govuk-tag govuk-tag--red">Refused</strong>',
        '<strong class="govuk-tag govuk-tag--grey">Deactivated by sponsor</strong>',
        '<strong class="govuk-tag govuk-tag--orange">Deactivated by Home Office</strong>',
    ):
        assert tag in page
    assert f'href="/licence/users/{level2.pk}/"' in page


def test_the_list_never_shows_another_sponsors_users(web, other_level1):
    assert other_level1.username not in web.get("/licence/users/").content.decode()


def test_one_active_level1_user_is_warned_to_have_two(web, sponsor):
    Level1Factory(sponsor=sponsor, status=UserStatus.REQUESTED)
    page = text(web.get("/licence/users/"))
    assert "Your licence has only one active Level 1 user. We advise at least two" in page


def test_two_active_level1_users_are_not_warned(web, colleague):
    assert "We advise at least two" not in text(web.get("/licence/users/"))


def test_the_list_query_count_does_not_grow_with_users(web, sponsor):
    for _ in range(3):
        Level2Factory(sponsor=sponsor)
    few = queries_for(web, "/licence/users/")
    for _ in range(27):
        Level2Factory(sponsor=sponsor)
    for _ in range(5):
        Level1Factory(sponsor=sponsor, status=UserStatus.DEACTIVATED_BY_SPONSOR)
    many = queries_for(web, "/licence/users/")
    assert many == few
    assert many <= 14


# ---------------------------------------------------------------- new users


def test_creating_a_level2_user_emails_them_a_temporary_password(
    web, sponsor, level1, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/licence/users/new-level-2/", NEW_USER, follow=True)
    assert response.status_code == 200
    user = User.objects.get(email=NEW_USER["email"])
    assert user.level == UserLevel.LEVEL_2
    assert user.status == UserStatus.ACTIVE
    assert user.sponsor == sponsor
    assert user.work_postcode == "SW1A 2AA"
    assert user.must_change_password
    page = text(response)
    assert "Level 2 user created" in page
    assert f"Their user ID is {user.username}" in page
    sent = [m for m in mail.outbox if m.to == [NEW_USER["email"]]]
    assert len(sent) == 1
    assert f"User ID: {user.username}" in sent[0].body
    assert "Temporary password: " in sent[0].body
    password = sent[0].body.split("Temporary password: ", 1)[1].split()[0]
    assert user.check_password(password)
    assert password not in response.content.decode()
    event = AuditEvent.objects.get(verb=AuditVerb.USER_CREATED)
    assert event.actor == level1


def test_requesting_a_level1_user_creates_a_requested_user_and_shows_the_reference(
    web, sponsor, level1
):
    response = web.post(
        "/licence/users/request-level-1/", {**NEW_USER, "is_settled_worker": "on"}, follow=True
    )
    assert response.status_code == 200
    user = User.objects.get(email=NEW_USER["email"])
    assert user.level == UserLevel.LEVEL_1
    assert user.status == UserStatus.REQUESTED
    assert user.is_settled_worker
    request = LicenceRequest.objects.get(kind=RequestKind.LEVEL_1_USER)
    assert request.subject_user == user
    assert request.submitted_by == level1
    # The confirmation is its own page, so reloading it sends nothing twice.
    assert response.redirect_chain == [(f"/licence/requests/{request.pk}/sent/", 302)]
    assert text(web.get(f"/licence/requests/{request.pk}/sent/")) == text(response)
    assert LicenceRequest.objects.count() == 1
    page = text(response)
    assert "Request sent to the Home Office" in page
    assert f"Your reference {request.reference}" in page
    assert "A Home Office caseworker decides the request" in page
    assert user.username in page
    # Requested, not yet usable: listed with its status.
    listing = web.get("/licence/users/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--light-blue">Requested</strong>' in listing


def test_the_level2_form_does_not_ask_about_settled_status(web):
    assert "settled worker" not in web.get("/licence/users/new-level-2/").content.decode()
    assert "settled worker" in web.get("/licence/users/request-level-1/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_names", "", "Enter the user's given names"),
        ("family_name", "", "Enter the user's family name"),
        ("email", "", "Enter the user's work e-mail address"),
        ("email", "not-an-address", "Enter an e-mail address in the correct format"),
        ("job_title", "", "Enter the user's job title"),
        ("phone", "", "Enter the user's work telephone number"),
        ("phone", "call me", "Enter a telephone number, like 020 7946 0000"),
        ("work_address_line_1", "", "Enter the building and street of the user's work address"),
        ("work_town", "", "Enter the town or city of the user's work address"),
        ("work_postcode", "", "Enter the postcode of the user's work address"),
        ("work_postcode", "12345", "Enter a real UK postcode, like SW1A 2AA"),
    ],
)
def test_new_user_field_errors(web, field, value, message):
    response = web.post("/licence/users/new-level-2/", {**NEW_USER, field: value})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert message in field_error(response, field)
    assert f'href="#id_{field}"' in response.content.decode()
    assert not User.objects.filter(level=UserLevel.LEVEL_2).exists()


def test_an_email_address_another_active_user_has_is_refused_on_the_email_field(web, level2):
    response = web.post("/licence/users/new-level-2/", {**NEW_USER, "email": level2.email.upper()})
    assert response.status_code == 400
    assert "already used by another user" in field_error(response, "email")
    assert User.objects.filter(email__iexact=level2.email).count() == 1


def test_an_email_address_a_requested_user_has_is_refused_too(web, sponsor):
    Level1Factory(sponsor=sponsor, status=UserStatus.REQUESTED, email=NEW_USER["email"])
    response = web.post("/licence/users/request-level-1/", NEW_USER)
    assert "already used by another user" in field_error(response, "email")


# ---------------------------------------------------------------- a user's page


def test_a_level2_users_page_offers_amend_and_deactivate(web, level2):
    response = web.get(f"/licence/users/{level2.pk}/")
    page = response.content.decode()
    assert "Priya Raman" in page
    assert level2.username in page
    assert f'href="/licence/users/{level2.pk}/amend/"' in page
    assert f'href="/licence/users/{level2.pk}/deactivate/"' in page


def test_your_own_page_offers_amend_but_never_deactivate(web, level1):
    response = web.get(f"/licence/users/{level1.pk}/")
    page = response.content.decode()
    assert f'href="/licence/users/{level1.pk}/amend/"' in page
    assert "/deactivate/" not in page
    assert "You cannot deactivate yourself" in text(response)


def test_another_level1_users_page_offers_deactivate_not_amend(web, colleague):
    page = web.get(f"/licence/users/{colleague.pk}/").content.decode()
    assert f'href="/licence/users/{colleague.pk}/deactivate/"' in page
    assert "/amend/" not in page


# ---------------------------------------------------------------- amending


def test_amending_a_level2_user_applies_at_once(web, level2):
    page = web.get(f"/licence/users/{level2.pk}/amend/").content.decode()
    assert f'name="version" value="{level2.version}"' in page
    assert 'value="Priya"' in page
    response = web.post(
        f"/licence/users/{level2.pk}/amend/",
        details_of(level2, family_name="Raman-Shah", job_title="Recruiter"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/licence/users/{level2.pk}/"
    level2.refresh_from_db()
    assert level2.family_name == "Raman-Shah"
    assert level2.job_title == "Recruiter"
    assert "Priya Raman-Shah's details were saved." in text(web.get(response["Location"]))
    assert not LicenceRequest.objects.exists()


def test_a_level1_users_own_name_change_goes_for_approval_and_they_stay_active(web, level1):
    response = web.post(
        f"/licence/users/{level1.pk}/amend/",
        details_of(level1, family_name="Hartley-Price", job_title="Head of HR"),
        follow=True,
    )
    assert response.status_code == 200
    request = LicenceRequest.objects.get(kind=RequestKind.USER_DETAILS)
    page = text(response)
    assert "Change sent to the Home Office for approval" in page
    assert f"Your reference {request.reference}" in page
    assert "You stay active meanwhile" in page
    level1.refresh_from_db()
    assert level1.status == UserStatus.ACTIVE
    assert level1.family_name == "Hartley"  # waits for the caseworker
    assert level1.job_title == "Head of HR"  # applied at once


def test_amending_asks_only_for_what_every_user_has(web, level2):
    """Users created before work addresses were asked for can still be amended."""
    response = web.get(f"/licence/users/{level2.pk}/amend/")
    page = text(response)
    assert "Job title (optional)" in page
    assert "Work address: postcode (optional)" in page
    assert "Given names (optional)" not in page
    data = details_of(level2, job_title="", work_postcode="")
    assert web.post(f"/licence/users/{level2.pk}/amend/", data).status_code == 302


def test_the_amend_form_of_a_level1_user_says_name_and_email_changes_need_approval(web, level1):
    page = text(web.get(f"/licence/users/{level1.pk}/amend/"))
    assert "A change to your name or e-mail address goes to the Home Office for approval" in page


def test_a_stale_amend_is_refused_and_changes_nothing(web, level2):
    stale = details_of(level2, job_title="From the first tab")
    web.post(f"/licence/users/{level2.pk}/amend/", details_of(level2, job_title="Second tab"))
    response = web.post(f"/licence/users/{level2.pk}/amend/", stale)
    assert response.status_code == 409
    assert "Someone changed this since you opened it." in text(response)
    assert "There is a problem" in text(response)
    level2.refresh_from_db()
    assert level2.job_title == "Second tab"


def test_amending_to_another_active_users_email_is_refused_on_the_email_field(
    web, level2, colleague
):
    response = web.post(
        f"/licence/users/{level2.pk}/amend/", details_of(level2, email=colleague.email)
    )
    assert response.status_code == 400
    assert "already used by another user" in field_error(response, "email")
    level2.refresh_from_db()
    assert level2.email != colleague.email


def test_the_only_settled_level1_user_cannot_untick_it(web, level1, colleague):
    colleague.is_settled_worker = False
    colleague.save()
    data = details_of(level1)
    del data["is_settled_worker"]
    response = web.post(f"/licence/users/{level1.pk}/amend/", data)
    assert response.status_code == 400
    assert "At least one Level 1 user must be a settled worker" in field_error(
        response, "is_settled_worker"
    )
    level1.refresh_from_db()
    assert level1.is_settled_worker


def test_another_level1_users_details_cannot_be_amended(web, colleague):
    assert web.get(f"/licence/users/{colleague.pk}/amend/").status_code == 403
    response = web.post(
        f"/licence/users/{colleague.pk}/amend/", details_of(colleague, job_title="Changed")
    )
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.job_title != "Changed"


# ---------------------------------------------------------------- deactivating


def test_deactivating_a_level2_user_after_a_warning(web, level1, level2):
    confirm = web.get(f"/licence/users/{level2.pk}/deactivate/")
    assert "Deactivation is final" in text(confirm)
    assert "Deactivate Priya Raman" in text(confirm)
    response = web.post(f"/licence/users/{level2.pk}/deactivate/")
    assert response.status_code == 302
    assert response["Location"] == "/licence/users/"
    level2.refresh_from_db()
    assert level2.status == UserStatus.DEACTIVATED_BY_SPONSOR
    listing = text(web.get("/licence/users/"))
    assert "Priya Raman (LEVELTWO1) was deactivated. They can no longer sign in." in listing
    event = AuditEvent.objects.get(verb=AuditVerb.USER_DEACTIVATED)
    assert event.actor == level1


def test_deactivating_yourself_is_impossible(web, level1, colleague):
    confirm = web.get(f"/licence/users/{level1.pk}/deactivate/")
    assert "You cannot deactivate yourself" in text(confirm)
    assert "<button" not in confirm.content.decode().split("<main", 1)[1]
    response = web.post(f"/licence/users/{level1.pk}/deactivate/")
    assert response.status_code == 400
    assert "You cannot deactivate yourself. Ask another Level 1 user to do it." in text(response)
    level1.refresh_from_db()
    assert level1.status == UserStatus.ACTIVE
    assert not AuditEvent.objects.filter(verb=AuditVerb.USER_DEACTIVATED).exists()


def test_deactivating_the_only_settled_level1_user_explains_the_route_and_changes_nothing(
    web, level1, colleague
):
    """The only other Level 1 user (the one signed in) is not settled: one settled Level 1 user
    must remain, so the service refuses and says how to replace them."""
    level1.is_settled_worker = False
    level1.save()
    response = web.post(f"/licence/users/{colleague.pk}/deactivate/")
    assert response.status_code == 400
    page = text(response)
    assert "You cannot deactivate this user" in page
    assert "This is the licence's only settled Level 1 user, and one is needed." in page
    assert "Request a settled Level 1 user first." in page
    assert 'type="submit" class="govuk-button govuk-button--warning"' not in (
        response.content.decode()
    )
    colleague.refresh_from_db()
    assert colleague.status == UserStatus.ACTIVE


def test_deactivating_another_level1_user(web, colleague):
    assert web.post(f"/licence/users/{colleague.pk}/deactivate/").status_code == 302
    colleague.refresh_from_db()
    assert colleague.status == UserStatus.DEACTIVATED_BY_SPONSOR


def test_a_deactivated_user_cannot_be_deactivated_again(web, sponsor):
    gone = Level2Factory(sponsor=sponsor, status=UserStatus.DEACTIVATED_BY_SPONSOR)
    confirm = web.get(f"/licence/users/{gone.pk}/deactivate/")
    assert "Only active users can be deactivated" in text(confirm)
    response = web.post(f"/licence/users/{gone.pk}/deactivate/")
    assert response.status_code == 400
    assert "This user is already deactivated by sponsor." in text(response)

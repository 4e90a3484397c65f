"""Level 1 users manage the users of their licence (DOMAIN.md "Actors")."""

import re

import pytest

from sponsorship.accounts.models import User, UserLevel, UserStatus, user_id_validator
from sponsorship.accounts.tests.factories import Level1Factory, Level2Factory
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, NotFound, NotPermitted, StaleEdit
from sponsorship.licences.models import (
    LicenceRequest,
    RequestKind,
    RequestStatus,
    SettledWorkerException,
)
from sponsorship.licences.services import (
    request_decide,
    user_amend,
    user_create_level_2,
    user_deactivate,
    user_deactivate_by_home_office,
    user_request_level_1,
)

from .support import details_of, emails, events, recipients, user_details

IP = "203.0.113.7"


def temporary_password_in(body: str) -> str:
    found = re.search(r"^Temporary password: (\S+)$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


def refreshed(user: User) -> User:
    user.refresh_from_db()
    return user


# Requesting a Level 1 user.


def test_requesting_a_level_1_user(level1):
    request = user_request_level_1(actor=level1, details=user_details(), ip=IP)

    assert request.kind == RequestKind.LEVEL_1_USER
    assert request.status == RequestStatus.SUBMITTED
    assert request.sponsor == level1.sponsor
    assert request.submitted_by == level1
    user = request.subject_user
    assert user.status == UserStatus.REQUESTED
    assert user.level == UserLevel.LEVEL_1
    assert user.sponsor == level1.sponsor
    assert (user.given_names, user.family_name) == ("Aisha", "Bello")
    assert user.email == "aisha.bello@harbourview.example"
    assert user.is_settled_worker
    assert not user.is_active
    assert not user.has_usable_password()  # no password until a caseworker approves

    assert recipients("request_submitted") == [level1.email]
    assert not emails("new_user")  # nothing reaches the requested user yet
    (event,) = events(AuditVerb.USER_REQUESTED)
    assert event.actor == level1
    assert event.sponsor == level1.sponsor
    assert event.target_id == str(user.pk)
    assert event.payload == {"request": request.reference, "user_id": user.username}
    assert event.ip_address == IP


def test_a_granted_level_1_request_activates_the_user_with_a_password(level1, caseworker):
    request = user_request_level_1(actor=level1, details=user_details(), ip=None)
    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
    )

    user = refreshed(request.subject_user)
    assert user.status == UserStatus.ACTIVE
    assert user.must_change_password
    (email,) = emails("new_user")
    assert email.to == user.email
    assert user.username in email.body
    assert user.check_password(temporary_password_in(email.body))


# Creating a Level 2 user.


def test_creating_a_level_2_user(level1):
    user = user_create_level_2(actor=level1, details=user_details(is_settled_worker=False), ip=IP)

    user = refreshed(user)
    assert user.level == UserLevel.LEVEL_2
    assert user.status == UserStatus.ACTIVE
    assert user.must_change_password
    assert user.sponsor == level1.sponsor
    (email,) = emails("new_user")
    assert email.to == "aisha.bello@harbourview.example"
    assert f"User ID: {user.username}" in email.body
    password = temporary_password_in(email.body)
    assert user.check_password(password)
    assert not user.check_password(password + "x")
    (event,) = events(AuditVerb.USER_CREATED)
    assert event.actor == level1
    assert event.payload == {"user_id": user.username, "level": "LEVEL_2"}


def test_each_new_user_gets_their_own_temporary_password(level1):
    first = user_create_level_2(actor=level1, details=user_details(), ip=None)
    second = user_create_level_2(
        actor=level1, details=user_details(email="another@harbourview.example"), ip=None
    )
    one, two = (temporary_password_in(e.body) for e in emails("new_user"))
    assert one != two
    assert refreshed(first).check_password(one)
    assert not refreshed(second).check_password(one)


# User IDs.


def test_user_ids_are_unique_and_valid_for_many_people_of_one_name(level1):
    ids = set()
    for n in range(40):
        user = user_create_level_2(
            actor=level1,
            details=user_details(given_names="Zoë", family_name="Hartley", email=f"z{n}@x.org"),
            ip=None,
        )
        user_id_validator(user.username)
        assert re.fullmatch(r"ZHARTLEY\d{1,2}", user.username), user.username
        ids.add(user.username)
    assert len(ids) == 40


@pytest.mark.parametrize(
    ("given", "family", "pattern"),
    [
        ("Aisha", "Bello", r"ABELLO\d+"),
        ("Wei", "Li", r"WLIXX\d+"),  # short names are padded to five letters
        ("Mary", "O'Neill-Smythe", r"MONEILLS\d+"),  # punctuation dropped, eight letters kept
        ("Mehmet", "Yılmaz", r"MYILMAZ\d+"),
        ("J", "", r"JXXXX\d+"),
        pytest.param(
            "Łukasz",
            "Nowak",
            r"[A-Z]NOWAK\d+",
        ),
        pytest.param(
            "Жанна",
            "Петрова",
            r"[A-Z0-9]{6,20}",
        ),
        pytest.param(
            "Seán",
            "Ó Súilleabháin",
            r"S[A-Z]+\d+",
        ),
    ],
)
def test_user_ids_are_valid_whatever_the_name(level1, given, family, pattern):
    user = user_create_level_2(
        actor=level1, details=user_details(given_names=given, family_name=family), ip=None
    )
    assert re.fullmatch(pattern, user.username), user.username
    user_id_validator(user.username)


def test_when_every_short_user_id_is_taken_a_longer_unique_one_is_made(level1):
    for n in range(1, 91):
        Level2Factory(sponsor=level1.sponsor, username=f"ABELLO{n}")
    first = user_create_level_2(actor=level1, details=user_details(), ip=None)
    second = user_create_level_2(
        actor=level1, details=user_details(email="second@harbourview.example"), ip=None
    )
    for user in (first, second):
        assert re.fullmatch(r"ABEL\d{8}", user.username), user.username
        user_id_validator(user.username)
    assert first.username != second.username


# E-mail addresses are personal.


@pytest.mark.parametrize("create", [user_request_level_1, user_create_level_2])
def test_an_address_of_another_active_user_is_refused_whatever_its_case(level1, level2, create):
    with pytest.raises(ApplicationError, match="already used by another user") as refused:
        create(actor=level1, details=user_details(email=level2.email.upper()), ip=None)
    assert refused.value.field == "email"
    assert User.objects.filter(sponsor=level1.sponsor).count() == 2  # nobody created


def test_an_address_of_a_requested_user_is_refused(level1):
    user_request_level_1(actor=level1, details=user_details(), ip=None)
    with pytest.raises(ApplicationError) as refused:
        user_create_level_2(
            actor=level1, details=user_details(email=" Aisha.Bello@HarbourView.example "), ip=None
        )
    assert refused.value.field == "email"


def test_an_address_of_another_sponsors_user_is_refused(level1, other_level1):
    with pytest.raises(ApplicationError) as refused:
        user_create_level_2(actor=level1, details=user_details(email=other_level1.email), ip=None)
    assert refused.value.field == "email"


def test_the_address_of_a_deactivated_user_can_be_used_again(level1, level2):
    user_deactivate(actor=level1, user_id=level2.pk, ip=None)
    user = user_create_level_2(actor=level1, details=user_details(email=level2.email), ip=None)
    assert user.email == level2.email


def test_the_address_of_a_user_deactivated_by_the_home_office_can_be_used_again(
    level1, level2, caseworker
):
    user_deactivate_by_home_office(
        caseworker=caseworker, user_id=level2.pk, reasons="Left the company.", ip=None
    )
    user_create_level_2(actor=level1, details=user_details(email=level2.email), ip=None)


def test_the_address_of_a_refused_user_can_be_used_again(level1, caseworker):
    request = user_request_level_1(actor=level1, details=user_details(), ip=None)
    request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome="REFUSED",
        reasons="Not a settled worker.",
        ip=None,
    )
    user_create_level_2(actor=level1, details=user_details(), ip=None)


# Amending users.


def test_a_level_2_users_changes_apply_at_once(level1, level2):
    new = details_of(
        level2,
        given_names="Priyanka",
        family_name="Raman-Shah",
        email="priyanka@harbourview.example",
        phone="07700 900123",
        job_title="Recruiter",
    )
    result = user_amend(actor=level1, user_id=level2.pk, version=level2.version, details=new, ip=IP)

    assert result is None
    user = refreshed(level2)
    assert (user.given_names, user.family_name) == ("Priyanka", "Raman-Shah")
    assert user.email == "priyanka@harbourview.example"
    assert (user.phone, user.job_title) == ("07700 900123", "Recruiter")
    assert user.version == 2
    assert not LicenceRequest.objects.exists()
    (event,) = events(AuditVerb.USER_AMENDED)
    assert event.payload["applied"] == ["email", "family_name", "given_names", "job_title", "phone"]
    assert event.payload["sent_for_approval"] == []
    assert event.payload["request"] is None


def test_the_user_is_told_of_applied_changes_at_the_old_address_too(level1, level2):
    user_amend(
        actor=level1,
        user_id=level2.pk,
        version=None,
        details=details_of(level2, email="priya.new@harbourview.example", phone="07700 900123"),
        ip=None,
    )
    assert recipients("user_details_changed") == [
        "leveltwo1@example.org",
        "priya.new@harbourview.example",
    ]
    body = emails("user_details_changed")[0].body
    assert "Zoë Hartley changed" in body
    assert "e-mail address, phone number" in body


def test_an_unchanged_address_is_told_once(level1, level2):
    user_amend(
        actor=level1,
        user_id=level2.pk,
        version=None,
        details=details_of(level2, job_title="Recruiter"),
        ip=None,
    )
    assert recipients("user_details_changed") == ["leveltwo1@example.org"]
    assert "job title" in emails("user_details_changed")[0].body


def test_nothing_changed_tells_no_one(level1, level2):
    result = user_amend(
        actor=level1, user_id=level2.pk, version=None, details=details_of(level2), ip=None
    )
    assert result is None
    assert recipients("user_details_changed") == []
    assert not LicenceRequest.objects.exists()


def test_a_level_1_user_cannot_amend_another_level_1_user(level1):
    colleague = Level1Factory(sponsor=level1.sponsor, family_name="Nowak")
    with pytest.raises(NotPermitted):
        user_amend(
            actor=level1,
            user_id=colleague.pk,
            version=None,
            details=details_of(colleague, family_name="Kowalski"),
            ip=None,
        )
    assert refreshed(colleague).family_name == "Nowak"
    assert refreshed(colleague).version == 1


def test_a_level_1_users_own_name_and_email_wait_for_a_caseworker(level1, caseworker):
    new = details_of(
        level1,
        family_name="Hartley-Jones",
        email="zoe.hj@harbourview.example",
        phone="07700 900999",
        job_title="Head of People",
    )
    request = user_amend(actor=level1, user_id=level1.pk, version=1, details=new, ip=None)

    assert request is not None
    assert request.kind == RequestKind.USER_DETAILS
    assert request.status == RequestStatus.SUBMITTED
    assert request.subject_user == level1
    assert request.details == {
        "family_name": "Hartley-Jones",
        "email": "zoe.hj@harbourview.example",
    }
    user = refreshed(level1)
    assert user.status == UserStatus.ACTIVE  # stays active meanwhile
    assert user.family_name == "Hartley"  # unchanged until granted
    assert user.email == "levelone1@example.org"
    assert (user.phone, user.job_title) == ("07700 900999", "Head of People")  # at once
    assert recipients("request_submitted") == ["levelone1@example.org"]
    assert recipients("user_details_changed") == ["levelone1@example.org"]
    assert "You changed" in emails("user_details_changed")[0].body
    (event,) = events(AuditVerb.USER_AMENDED)
    assert event.payload["applied"] == ["job_title", "phone"]
    assert event.payload["sent_for_approval"] == ["email", "family_name"]
    assert event.payload["request"] == request.reference

    request_decide(
        caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
    )
    user = refreshed(level1)
    assert user.family_name == "Hartley-Jones"
    assert user.email == "zoe.hj@harbourview.example"
    assert user.status == UserStatus.ACTIVE


def test_an_address_taken_while_the_change_waited_cannot_be_granted(level1, caseworker):
    request = user_amend(
        actor=level1,
        user_id=level1.pk,
        version=None,
        details=details_of(level1, email="zoe@harbourview.example"),
        ip=None,
    )
    user_create_level_2(
        actor=level1, details=user_details(email="ZOE@harbourview.example"), ip=None
    )
    with pytest.raises(ApplicationError) as refused:
        request_decide(
            caseworker=caseworker, request_id=request.pk, outcome="GRANTED", reasons="", ip=None
        )
    assert refused.value.field == "email"
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED  # the whole decision rolled back
    assert refreshed(level1).email == "levelone1@example.org"
    assert not events(AuditVerb.REQUEST_DECIDED)


def test_a_refused_change_of_name_leaves_the_name(level1, caseworker):
    request = user_amend(
        actor=level1,
        user_id=level1.pk,
        version=None,
        details=details_of(level1, given_names="Zoe"),
        ip=None,
    )
    request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome="REFUSED",
        reasons="Send evidence of the change of name.",
        ip=None,
    )
    assert refreshed(level1).given_names == "Zoë"


def test_a_level_1_users_own_phone_alone_needs_no_approval(level1):
    result = user_amend(
        actor=level1,
        user_id=level1.pk,
        version=None,
        details=details_of(level1, phone="0131 496 0000"),
        ip=None,
    )
    assert result is None
    assert refreshed(level1).phone == "0131 496 0000"


def test_a_stale_version_is_refused(level1, level2):
    user_amend(
        actor=level1,
        user_id=level2.pk,
        version=1,
        details=details_of(level2, job_title="First tab"),
        ip=None,
    )
    with pytest.raises(StaleEdit):
        user_amend(
            actor=level1,
            user_id=level2.pk,
            version=1,
            details=details_of(level2, job_title="Second tab"),
            ip=None,
        )
    assert refreshed(level2).job_title == "First tab"
    assert refreshed(level2).version == 2


def test_amending_to_an_address_in_use_is_refused(level1, level2, other_level1):
    with pytest.raises(ApplicationError) as refused:
        user_amend(
            actor=level1,
            user_id=level2.pk,
            version=None,
            details=details_of(level2, email=other_level1.email.title()),
            ip=None,
        )
    assert refused.value.field == "email"
    assert refreshed(level2).email == "leveltwo1@example.org"


def test_only_active_users_can_be_amended(level1, level2):
    user_deactivate(actor=level1, user_id=level2.pk, ip=None)
    with pytest.raises(ApplicationError) as refused:
        user_amend(
            actor=level1,
            user_id=level2.pk,
            version=None,
            details=details_of(level2, phone="1"),
            ip=None,
        )
    assert refused.value.code == "user_not_active"


def test_the_only_settled_level_1_user_cannot_unsettle_themselves(level1):
    with pytest.raises(ApplicationError) as refused:
        user_amend(
            actor=level1,
            user_id=level1.pk,
            version=None,
            details=details_of(level1, is_settled_worker=False),
            ip=None,
        )
    assert refused.value.field == "is_settled_worker"
    assert refreshed(level1).is_settled_worker


def test_a_settled_level_1_user_can_unsettle_themselves_when_another_remains(level1):
    Level1Factory(sponsor=level1.sponsor, is_settled_worker=True)
    user_amend(
        actor=level1,
        user_id=level1.pk,
        version=None,
        details=details_of(level1, is_settled_worker=False),
        ip=None,
    )
    assert not refreshed(level1).is_settled_worker


def test_another_sponsors_user_cannot_be_amended(level1, other_level1):
    with pytest.raises(NotFound):
        user_amend(
            actor=level1,
            user_id=other_level1.pk,
            version=None,
            details=details_of(other_level1, phone="1"),
            ip=None,
        )


# Deactivating users.


def test_deactivating_a_level_2_user(level1, level2):
    user = user_deactivate(actor=level1, user_id=level2.pk, ip=IP)
    assert user.status == UserStatus.DEACTIVATED_BY_SPONSOR
    assert refreshed(level2).status == UserStatus.DEACTIVATED_BY_SPONSOR
    assert not refreshed(level2).is_active
    (email,) = emails("user_deactivated")
    assert email.to == level2.email
    assert "your organisation" in email.body
    (event,) = events(AuditVerb.USER_DEACTIVATED)
    assert (event.actor, event.target_id, event.ip_address) == (level1, str(level2.pk), IP)


def test_no_one_can_deactivate_themselves(level1):
    Level1Factory(sponsor=level1.sponsor)
    with pytest.raises(ApplicationError) as refused:
        user_deactivate(actor=level1, user_id=level1.pk, ip=None)
    assert refused.value.code == "self_deactivation"
    assert refreshed(level1).status == UserStatus.ACTIVE


def test_deactivation_is_final(level1, level2):
    user_deactivate(actor=level1, user_id=level2.pk, ip=None)
    with pytest.raises(ApplicationError) as refused:
        user_deactivate(actor=level1, user_id=level2.pk, ip=None)
    assert refused.value.code == "user_not_active"
    assert len(events(AuditVerb.USER_DEACTIVATED)) == 1


def test_another_level_1_user_can_be_deactivated(level1):
    colleague = Level1Factory(sponsor=level1.sponsor, is_settled_worker=True)
    user_deactivate(actor=level1, user_id=colleague.pk, ip=None)
    assert refreshed(colleague).status == UserStatus.DEACTIVATED_BY_SPONSOR


def test_the_last_active_level_1_user_cannot_be_deactivated(level1, caseworker):
    """The actor's own account was deactivated by the Home Office in another session: the
    licence's only remaining active Level 1 user must stay."""
    colleague = Level1Factory(sponsor=level1.sponsor)
    user_deactivate_by_home_office(
        caseworker=caseworker, user_id=level1.pk, reasons="Left.", ip=None
    )
    with pytest.raises(ApplicationError) as refused:
        user_deactivate(actor=refreshed(level1), user_id=colleague.pk, ip=None)
    assert refused.value.code == "last_level_1"
    assert refreshed(colleague).status == UserStatus.ACTIVE


def test_the_last_settled_level_1_user_cannot_be_deactivated(level1):
    unsettled = Level1Factory(sponsor=level1.sponsor, is_settled_worker=False)
    with pytest.raises(ApplicationError) as refused:
        user_deactivate(actor=unsettled, user_id=level1.pk, ip=None)
    assert refused.value.code == "last_settled_level_1"
    assert refreshed(level1).status == UserStatus.ACTIVE


@pytest.mark.parametrize(
    "exception",
    [
        SettledWorkerException.INTERNATIONAL_AGREEMENT,
        SettledWorkerException.OVERSEAS_BUSINESS_OR_ENTREPRENEUR,
    ],
)
def test_the_last_settled_level_1_user_can_go_under_an_exception(level1, exception):
    sponsor = level1.sponsor
    sponsor.settled_worker_exception = exception
    sponsor.save(update_fields=["settled_worker_exception"])
    unsettled = Level1Factory(sponsor=sponsor, is_settled_worker=False)
    user_deactivate(actor=unsettled, user_id=level1.pk, ip=None)
    assert refreshed(level1).status == UserStatus.DEACTIVATED_BY_SPONSOR


def test_an_unsettled_level_1_user_can_go_while_a_settled_one_remains(level1):
    unsettled = Level1Factory(sponsor=level1.sponsor, is_settled_worker=False)
    user_deactivate(actor=level1, user_id=unsettled.pk, ip=None)
    assert refreshed(unsettled).status == UserStatus.DEACTIVATED_BY_SPONSOR


def test_another_sponsors_user_cannot_be_deactivated(level1, other_level1):
    with pytest.raises(NotFound):
        user_deactivate(actor=level1, user_id=other_level1.pk, ip=None)
    assert refreshed(other_level1).status == UserStatus.ACTIVE


def test_an_unknown_user_is_not_found(level1):
    with pytest.raises(NotFound):
        user_deactivate(actor=level1, user_id=987_654, ip=None)


# The Home Office deactivates.


def test_the_home_office_deactivates_with_reasons(level1, level2, caseworker, ao):
    user = user_deactivate_by_home_office(
        caseworker=caseworker, user_id=level2.pk, reasons="  Misuse of the system.  ", ip=IP
    )
    assert user.status == UserStatus.DEACTIVATED_BY_HOME_OFFICE
    assert refreshed(level2).status == UserStatus.DEACTIVATED_BY_HOME_OFFICE
    assert recipients("user_deactivated") == [level2.email, ao.email]
    assert "Misuse of the system." in emails("user_deactivated")[0].body
    (event,) = events(AuditVerb.USER_DEACTIVATED)
    assert event.actor == caseworker
    assert event.sponsor == level2.sponsor
    assert event.payload["by"] == "Home Office"


@pytest.mark.parametrize("reasons", ["", "   \n"])
def test_the_home_office_must_give_reasons(level2, caseworker, reasons):
    with pytest.raises(ApplicationError) as refused:
        user_deactivate_by_home_office(
            caseworker=caseworker, user_id=level2.pk, reasons=reasons, ip=None
        )
    assert refused.value.field == "reasons"
    assert refreshed(level2).status == UserStatus.ACTIVE


def test_the_home_office_may_deactivate_the_last_settled_level_1_user(level1, caseworker):
    user_deactivate_by_home_office(
        caseworker=caseworker, user_id=level1.pk, reasons="Convicted of fraud.", ip=None
    )
    assert refreshed(level1).status == UserStatus.DEACTIVATED_BY_HOME_OFFICE


def test_a_home_office_deactivation_is_final(level2, caseworker):
    user_deactivate_by_home_office(caseworker=caseworker, user_id=level2.pk, reasons="R", ip=None)
    with pytest.raises(ApplicationError, match="already deactivated by home office"):
        user_deactivate_by_home_office(
            caseworker=caseworker, user_id=level2.pk, reasons="R", ip=None
        )


def test_the_home_office_cannot_deactivate_a_caseworker(caseworker, db):
    other = type(caseworker).objects.create_user(
        username="CASEWORK2", email="c2@homeoffice.example", level=UserLevel.CASEWORKER
    )
    with pytest.raises(NotFound):
        user_deactivate_by_home_office(
            caseworker=caseworker, user_id=other.pk, reasons="R", ip=None
        )

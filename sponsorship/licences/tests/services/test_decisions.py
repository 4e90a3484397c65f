"""A request's life: assigned, questioned and answered (the waiting clock pausing meanwhile),
withdrawn by the sponsor, or granted, partly granted or refused by a caseworker."""

from datetime import date

import pytest

from sponsorship.accounts.models import UserStatus
from sponsorship.accounts.tests.factories import CaseworkerFactory, Level1Factory
from sponsorship.audit.models import AuditVerb
from sponsorship.core.errors import ApplicationError, InvalidTransition, NotFound, StaleEdit
from sponsorship.licences.models import (
    EvidenceFile,
    LicenceRequest,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from sponsorship.licences.selectors import waiting_working_days
from sponsorship.licences.services import (
    request_answer,
    request_ask_for_information,
    request_assign,
    request_decide,
    request_withdraw,
    status_apply,
    user_request_level_1,
)
from sponsorship.licences.tests.factories import AllocationFactory, LicenceRequestFactory

from .support import at, emails, events, recipients, upload, user_details

GRANTED = RequestStatus.GRANTED
PARTLY = RequestStatus.PARTLY_GRANTED
REFUSED = RequestStatus.REFUSED


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def increase(level1):
    """An open request for 5 more Skilled Worker certificates."""
    AllocationFactory(sponsor=level1.sponsor, limit=10)
    return LicenceRequestFactory(submitted_by=level1, number_requested=5)


def fresh(request: LicenceRequest) -> LicenceRequest:
    return LicenceRequest.objects.get(pk=request.pk)


def ask(caseworker, request, question="Send the job descriptions for the five roles."):
    return request_ask_for_information(
        caseworker=caseworker, request_id=request.pk, question=question, ip=None
    )


def answer(actor, request, body="Attached.", evidence=()):
    return request_answer(
        actor=actor, request_id=request.pk, body=body, evidence=list(evidence), ip=None
    )


def decide(caseworker, request, outcome, reasons="", **kwargs):
    return request_decide(
        caseworker=caseworker,
        request_id=request.pk,
        outcome=outcome,
        reasons=reasons,
        ip=None,
        **kwargs,
    )


# Assigning.


def test_a_caseworker_takes_a_request(increase, caseworker):
    request = request_assign(caseworker=caseworker, request_id=increase.pk, ip="192.0.2.1")
    assert request.assigned_to == caseworker
    assert fresh(increase).assigned_to == caseworker
    (event,) = events(AuditVerb.REQUEST_ASSIGNED)
    assert event.actor == caseworker
    assert event.sponsor == increase.sponsor  # on the sponsor's own trail
    assert event.target_id == str(increase.pk)


def test_another_caseworker_can_take_it_over(increase, caseworker):
    request_assign(caseworker=caseworker, request_id=increase.pk, ip=None)
    other = CaseworkerFactory()
    request_assign(caseworker=other, request_id=increase.pk, ip=None)
    assert fresh(increase).assigned_to == other


def test_a_decided_request_cannot_be_taken(increase, caseworker):
    decide(caseworker, increase, GRANTED)
    with pytest.raises(ApplicationError) as refused:
        request_assign(caseworker=CaseworkerFactory(), request_id=increase.pk, ip=None)
    assert refused.value.code == "decided"


def test_an_unknown_request_is_not_found(caseworker, db):
    with pytest.raises(NotFound):
        request_assign(caseworker=caseworker, request_id=404_404, ip=None)
    with pytest.raises(NotFound):
        decide(caseworker, LicenceRequest(pk=404_404), GRANTED)


# Asking for information and answering.


def test_asking_for_information_pauses_the_request(increase, caseworker, level1):
    request = ask(caseworker, increase, "  Send the job descriptions.  ")

    request = fresh(request)
    assert request.status == RequestStatus.INFO_REQUESTED
    assert request.paused_since == at(date(2026, 11, 16))
    assert request.assigned_to == caseworker  # asking takes an unassigned request
    (message,) = RequestMessage.objects.filter(request=request)
    assert message.from_home_office
    assert message.author == caseworker
    assert message.body == "Send the job descriptions."
    (email,) = emails("request_info_requested")
    assert email.to == level1.email
    assert "Send the job descriptions." in email.body
    (event,) = events(AuditVerb.INFO_REQUESTED)
    assert event.payload == {"question": "Send the job descriptions."}


def test_asking_keeps_the_caseworker_already_assigned(increase, caseworker):
    request_assign(caseworker=caseworker, request_id=increase.pk, ip=None)
    ask(CaseworkerFactory(), increase)
    assert fresh(increase).assigned_to == caseworker


@pytest.mark.parametrize("question", ["", "   "])
def test_a_question_is_needed(increase, caseworker, question):
    with pytest.raises(ApplicationError) as refused:
        ask(caseworker, increase, question)
    assert refused.value.field == "question"
    assert fresh(increase).status == RequestStatus.SUBMITTED


def test_one_question_at_a_time(increase, caseworker):
    ask(caseworker, increase)
    with pytest.raises(InvalidTransition):
        ask(caseworker, increase, "And another thing.")


def test_the_sponsor_answers_and_the_request_goes_back_to_the_queue(
    increase, caseworker, level1, frozen
):
    ask(caseworker, increase)
    frozen.move_to(at(date(2026, 11, 19)))  # Thursday: 3 working days later
    request = answer(level1, increase, "  The job descriptions are attached.  ", [upload()])

    request = fresh(request)
    assert request.status == RequestStatus.SUBMITTED
    assert request.paused_since is None
    assert request.paused_working_days == 3  # 17, 18 and 19 November
    message = RequestMessage.objects.get(request=request, from_home_office=False)
    assert message.author == level1
    assert message.body == "The job descriptions are attached."
    (evidence,) = EvidenceFile.objects.filter(request=request)
    assert evidence.message == message
    assert recipients("request_answered") == [caseworker.email]
    (event,) = events(AuditVerb.INFO_PROVIDED)
    assert event.actor == level1
    assert event.payload == {"files": 1}


def test_an_answer_to_no_question_is_refused(increase, level1):
    with pytest.raises(ApplicationError) as refused:
        answer(level1, increase)
    assert refused.value.code == "no_question"


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_answer_needs_words(increase, caseworker, level1, body):
    ask(caseworker, increase)
    with pytest.raises(ApplicationError) as refused:
        answer(level1, increase, body)
    assert refused.value.field == "body"
    assert fresh(increase).status == RequestStatus.INFO_REQUESTED


def test_another_sponsor_cannot_answer(increase, caseworker, other_level1):
    ask(caseworker, increase)
    with pytest.raises(NotFound):
        answer(other_level1, increase)
    assert fresh(increase).status == RequestStatus.INFO_REQUESTED


# The waiting clock.


def test_the_waiting_clock_leaves_out_the_days_waiting_for_the_sponsor(
    increase, caseworker, level1, frozen
):
    """Submitted Monday 16 November; asked Wednesday 18; answered Monday 23; read Friday 27."""
    assert waiting_working_days(fresh(increase)) == 0

    frozen.move_to(at(date(2026, 11, 18)))
    ask(caseworker, increase)
    assert waiting_working_days(fresh(increase)) == 2  # 17 and 18 November

    frozen.move_to(at(date(2026, 11, 20)))
    assert waiting_working_days(fresh(increase)) == 2  # paused: 19 and 20 do not count

    frozen.move_to(at(date(2026, 11, 23)))
    assert waiting_working_days(fresh(increase)) == 2
    answer(level1, increase)
    assert fresh(increase).paused_working_days == 3  # 19, 20 and 23 November
    assert waiting_working_days(fresh(increase)) == 2

    frozen.move_to(at(date(2026, 11, 27)))
    assert waiting_working_days(fresh(increase)) == 6  # ...and 24, 25, 26, 27 November

    decide(caseworker, increase, GRANTED)
    frozen.move_to(at(date(2026, 12, 4)))
    assert waiting_working_days(fresh(increase)) == 6  # the clock stops at the decision


def test_two_questions_add_up(increase, caseworker, level1, frozen):
    frozen.move_to(at(date(2026, 11, 17)))
    ask(caseworker, increase)
    frozen.move_to(at(date(2026, 11, 18)))
    answer(level1, increase)
    frozen.move_to(at(date(2026, 11, 20)))
    ask(caseworker, increase, "And the salaries.")
    frozen.move_to(at(date(2026, 11, 24)))
    answer(level1, increase)
    assert fresh(increase).paused_working_days == 1 + 2  # 18; then 23 and 24 November
    frozen.move_to(at(date(2026, 11, 25)))
    # 17 to 25 November is 7 working days, 3 of them paused.
    assert waiting_working_days(fresh(increase)) == 4


def test_withdrawing_while_asked_stops_the_pause(increase, caseworker, level1, frozen):
    ask(caseworker, increase)
    frozen.move_to(at(date(2026, 11, 18)))
    request_withdraw(actor=level1, request_id=increase.pk, ip=None)
    request = fresh(increase)
    assert request.paused_since is None
    assert request.paused_working_days == 2
    assert waiting_working_days(request) == 0


def test_a_request_decided_while_waiting_for_the_sponsor_keeps_its_pause(
    increase, caseworker, frozen
):
    frozen.move_to(at(date(2026, 11, 18)))
    ask(caseworker, increase)
    frozen.move_to(at(date(2026, 11, 25)))  # no answer after a week
    decide(caseworker, increase, REFUSED, "No answer to our question.")
    # 17 and 18 November waited for the Home Office; 19 to 25 November for the sponsor.
    assert waiting_working_days(fresh(increase)) == 2


# Withdrawing.


def test_the_sponsor_withdraws(increase, level1):
    request = request_withdraw(actor=level1, request_id=increase.pk, ip="192.0.2.9")
    request = fresh(request)
    assert request.status == RequestStatus.WITHDRAWN
    assert request.decided_at is not None
    assert request.decided_by is None
    (event,) = events(AuditVerb.REQUEST_WITHDRAWN)
    assert (event.actor, event.ip_address) == (level1, "192.0.2.9")


def test_withdrawing_is_final(increase, level1, caseworker):
    request_withdraw(actor=level1, request_id=increase.pk, ip=None)
    with pytest.raises(InvalidTransition):
        request_withdraw(actor=level1, request_id=increase.pk, ip=None)
    with pytest.raises(InvalidTransition):
        decide(caseworker, increase, GRANTED)
    with pytest.raises(InvalidTransition):
        ask(caseworker, increase)
    assert len(events(AuditVerb.REQUEST_WITHDRAWN)) == 1


def test_a_decided_request_cannot_be_withdrawn(increase, level1, caseworker):
    decide(caseworker, increase, GRANTED)
    with pytest.raises(InvalidTransition):
        request_withdraw(actor=level1, request_id=increase.pk, ip=None)
    assert fresh(increase).status == GRANTED


def test_another_sponsor_cannot_withdraw(increase, other_level1):
    with pytest.raises(NotFound):
        request_withdraw(actor=other_level1, request_id=increase.pk, ip=None)
    assert fresh(increase).status == RequestStatus.SUBMITTED


def test_another_level_1_user_of_the_sponsor_may_withdraw(increase, level1):
    colleague = Level1Factory(sponsor=level1.sponsor)
    request_withdraw(actor=colleague, request_id=increase.pk, ip=None)
    assert fresh(increase).status == RequestStatus.WITHDRAWN


def test_a_withdrawn_level_1_request_leaves_the_user_unable_to_sign_in(level1, caseworker):
    request = user_request_level_1(actor=level1, details=user_details(), ip=None)
    request_withdraw(actor=level1, request_id=request.pk, ip=None)

    user = request.subject_user
    user.refresh_from_db()
    assert user.status == UserStatus.DEACTIVATED_BY_SPONSOR
    assert not user.is_active
    assert not user.has_usable_password()
    with pytest.raises(InvalidTransition):  # nor can the Home Office grant it afterwards
        decide(caseworker, request, GRANTED)
    user.refresh_from_db()
    assert user.status == UserStatus.DEACTIVATED_BY_SPONSOR


# Deciding.


def test_granting_an_allocation_increase(increase, caseworker, level1):
    request = decide(caseworker, increase, GRANTED)
    request = fresh(request)
    assert request.status == GRANTED
    assert request.number_granted == 5
    assert request.decided_by == caseworker
    assert request.decided_at is not None
    assert request.assigned_to == caseworker
    assert request.reasons == ""
    (event,) = events(AuditVerb.REQUEST_DECIDED)
    assert event.actor == caseworker
    assert event.sponsor == level1.sponsor
    assert event.payload == {"outcome": "GRANTED", "reasons": "", "number_granted": 5}


@pytest.mark.parametrize("number", [1, 2, 4])
def test_partly_granting_an_allocation_increase(increase, caseworker, number):
    decide(caseworker, increase, PARTLY, "Evidence for some roles only.", number_granted=number)
    request = fresh(increase)
    assert request.status == PARTLY
    assert request.number_granted == number
    assert request.reasons == "Evidence for some roles only."


@pytest.mark.parametrize("number", [None, 0, 5, 6, -1])
def test_a_partial_grant_is_from_one_to_one_less_than_asked(increase, caseworker, number):
    with pytest.raises(ApplicationError, match="from 1 to 4 certificates") as refused:
        decide(caseworker, increase, PARTLY, "Some only.", number_granted=number)
    assert refused.value.field == "number_granted"
    request = fresh(increase)
    assert (request.status, request.version, request.number_granted) == ("SUBMITTED", 1, None)
    assert not events(AuditVerb.REQUEST_DECIDED)


def test_only_allocations_can_be_partly_granted(level1, caseworker):
    request = status_apply(actor=level1, kind=RequestKind.PREMIUM, ip=None)
    with pytest.raises(ApplicationError, match="Only allocation requests") as refused:
        decide(caseworker, request, PARTLY, "Half.", number_granted=1)
    assert refused.value.field == "outcome"
    assert (fresh(request).status, fresh(request).version) == ("SUBMITTED", 1)


def test_refusing_an_allocation_grants_nothing(increase, caseworker):
    decide(caseworker, increase, REFUSED, "No evidence of the roles.", number_granted=3)
    request = fresh(increase)
    assert request.status == REFUSED
    assert request.number_granted is None
    assert request.sponsor.allocations.get().limit == 10


@pytest.mark.parametrize("outcome", [REFUSED, PARTLY])
@pytest.mark.parametrize("reasons", ["", "   "])
def test_refusals_and_partial_grants_need_reasons(increase, caseworker, outcome, reasons):
    with pytest.raises(ApplicationError) as refused:
        decide(caseworker, increase, outcome, reasons, number_granted=2)
    assert refused.value.field == "reasons"
    assert fresh(increase).status == RequestStatus.SUBMITTED


@pytest.mark.parametrize("outcome", ["WITHDRAWN", "SUBMITTED", "INFO_REQUESTED", "granted", ""])
def test_only_grant_partly_grant_or_refuse(increase, caseworker, outcome):
    with pytest.raises(ApplicationError) as refused:
        decide(caseworker, increase, outcome, "Reasons.")
    assert refused.value.field == "outcome"


def test_a_request_is_decided_once(increase, caseworker):
    decide(caseworker, increase, GRANTED)
    for outcome in (GRANTED, REFUSED):
        with pytest.raises(InvalidTransition):
            decide(caseworker, increase, outcome, "Again.")
    assert increase.sponsor.allocations.get().limit == 15  # granted once only


def test_a_request_waiting_for_the_sponsor_can_still_be_decided(increase, caseworker):
    ask(caseworker, increase)
    decide(caseworker, increase, REFUSED, "No answer.")
    request = fresh(increase)
    assert request.status == REFUSED
    assert request.paused_since is None


def test_the_decision_is_e_mailed_to_the_submitter_and_the_authorising_officer(
    increase, caseworker, level1, ao
):
    decide(caseworker, increase, PARTLY, "Evidence for three roles only.", number_granted=3)
    assert recipients("request_decided") == [level1.email, ao.email]
    body = emails("request_decided")[0].body
    assert "Partly granted" in body
    assert "Certificates granted: 3" in body
    assert "Evidence for three roles only." in body


def test_one_e_mail_when_the_submitter_is_the_authorising_officer(increase, caseworker, level1, ao):
    ao.email = level1.email.upper()
    ao.save(update_fields=["email"])
    decide(caseworker, increase, GRANTED)
    assert recipients("request_decided") == [level1.email]


def test_granting_a_level_1_user(level1, caseworker, ao):
    request = user_request_level_1(actor=level1, details=user_details(), ip=None)
    decide(caseworker, request, GRANTED)
    user = request.subject_user
    user.refresh_from_db()
    assert user.status == UserStatus.ACTIVE
    assert recipients("new_user") == [user.email]
    assert recipients("request_decided") == [level1.email, ao.email]


def test_refusing_a_level_1_user_tells_the_authorising_officer_why(level1, caseworker, ao):
    request = user_request_level_1(actor=level1, details=user_details(), ip=None)
    decide(caseworker, request, REFUSED, "The person is not employed by the sponsor.")

    user = request.subject_user
    user.refresh_from_db()
    assert user.status == UserStatus.REFUSED
    assert not user.is_active
    (letter,) = emails("level_1_refused")
    assert letter.to == ao.email
    assert "Aisha Bello" in letter.body
    assert "The person is not employed by the sponsor." in letter.body
    assert not emails("new_user")


def test_the_version_read_must_still_be_current(increase, caseworker):
    version = fresh(increase).version
    ask(caseworker, increase)  # another caseworker's question, in another tab
    with pytest.raises(StaleEdit):
        decide(caseworker, increase, GRANTED, version=version)
    request = fresh(increase)
    assert request.status == RequestStatus.INFO_REQUESTED
    assert increase.sponsor.allocations.get().limit == 10

    decide(caseworker, increase, GRANTED, version=request.version)
    assert fresh(increase).status == GRANTED
    assert fresh(increase).version == request.version + 1


def test_withdrawing_tells_the_caseworker_it_was_assigned_to(increase, level1, caseworker):
    request_assign(caseworker=caseworker, request_id=increase.pk, ip=None)
    request_withdraw(actor=level1, request_id=increase.pk, ip=None)
    assert recipients("request_withdrawn") == [caseworker.email]


def test_withdrawing_an_unassigned_request_e_mails_nobody(increase, level1):
    request_withdraw(actor=level1, request_id=increase.pk, ip=None)
    assert recipients("request_withdrawn") == []

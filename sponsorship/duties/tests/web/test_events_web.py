"""Recording what happened to a worker: choosing the kind of event, its own form built from
kinds.HR_EVENT_FIELDS, and the banner naming any duty it raises with its due date."""

from datetime import date
from decimal import Decimal

from sponsorship.duties.models import Duty, HrEvent, Worker
from sponsorship.duties.services import hr_event_record
from sponsorship.licences.tests.web.support import field_error, text


def new_event(worker: Worker, kind: str = "") -> str:
    return f"/workers/register/{worker.pk}/events/new/" + (f"?kind={kind}" if kind else "")


def on(prefix: str, day: str) -> dict[str, str]:
    """A date input as posted: "16 11 2026" into its three boxes."""
    parts = ([*day.split(" "), "", "", ""])[:3]
    return {
        f"{prefix}_{box}": value for box, value in zip(("day", "month", "year"), parts, strict=True)
    }


def test_first_the_kind_of_event_is_chosen(web, worker):
    response = web.get(new_event(worker))
    assert response.status_code == 200
    page = text(response)
    assert "What happened?" in page
    for label in ("First day at work", "Absence", "Salary changed", "Left or is leaving"):
        assert label in page


def test_choosing_no_kind_is_named(web, worker):
    response = web.get(new_event(worker), {"kind": ""})
    assert response.status_code == 400
    assert field_error(response, "kind") == "Error: Select what happened"
    assert 'href="#id_kind"' in response.content.decode()
    response = web.get(new_event(worker), {"kind": "HOLIDAY"})
    assert response.status_code == 400
    assert field_error(response, "kind") == "Error: Select what happened from the list"


def test_the_absence_form_asks_its_own_questions(web, worker):
    page = text(web.get(new_event(worker, "ABSENCE")))
    assert "First day of absence" in page
    assert "What kind of absence is it? Unauthorised absence Unpaid or reduced-pay leave" in page
    assert "Last day of absence" in page


def test_a_salary_change_asks_for_the_new_salary(web, worker):
    page = text(web.get(new_event(worker, "SALARY_CHANGE")))
    assert "Date the new salary took effect" in page
    assert "New gross annual salary For example, 38500" in page


def test_recording_a_first_day(web, worker):
    response = web.post(new_event(worker, "FIRST_DAY"), on("occurred_on", "2 11 2026"))
    assert response.status_code == 302
    assert response["Location"] == f"/workers/register/{worker.pk}/"
    assert Worker.objects.get(pk=worker.pk).started_on == date(2026, 11, 2)
    page = text(web.get(response["Location"]))
    assert "Recorded: first day at work." in page
    assert "You must report this" not in page


def test_an_absence_that_becomes_reportable_names_the_duty_and_its_due_date(
    worker, level1, frozen, signed_in
):
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    frozen.move_to("2026-12-01 10:00")
    web = signed_in(level1)
    response = web.post(
        new_event(worker, "ABSENCE"),
        {**on("occurred_on", "16 11 2026"), "absence_type": "UNAUTHORISED"},
        follow=True,
    )
    page = text(response)
    assert "Recorded: absence." in page
    assert "You must report this by 11 December 2026." in page
    duty = Duty.objects.get(worker=worker)
    assert (duty.kind, duty.due_on) == ("ABSENCE", date(2026, 12, 11))


def test_a_salary_cut_raises_a_duty_at_once(web, worker):
    response = web.post(
        new_event(worker, "SALARY_CHANGE"),
        {**on("occurred_on", "13 11 2026"), "details_new_salary": "48000"},
        follow=True,
    )
    page = text(response)
    assert "Recorded: salary changed." in page
    assert "(salary reduced). You must report this by 27 November 2026." in page
    assert Worker.objects.get(pk=worker.pk).annual_salary == Decimal("48000")


def test_bad_input_names_each_field_and_records_nothing(web, worker):
    response = web.post(
        new_event(worker, "SALARY_CHANGE"),
        {**on("occurred_on", "31 11 2026"), "details_new_salary": "£48,000"},
    )
    assert response.status_code == 400
    assert field_error(response, "occurred_on_day") == (
        "Error: The date the new salary took effect must be a real date, like 27 11 2026"
    )
    assert field_error(response, "details_new_salary") == (
        "Error: New gross annual salary: enter an amount in pounds, like 38500 or 38500.50, "
        "with no commas or pound sign"
    )
    html = response.content.decode()
    assert 'href="#id_occurred_on_day"' in html
    assert 'href="#id_details_new_salary"' in html
    assert not HrEvent.objects.filter(worker=worker).exists()


def test_missing_answers_are_named(web, worker):
    response = web.post(new_event(worker, "ABSENCE"), on("occurred_on", ""))
    assert response.status_code == 400
    assert field_error(response, "occurred_on_day") == "Error: Enter the first day of absence"
    assert field_error(response, "absence_type") == "Error: Select what kind of absence it is"
    response = web.post(new_event(worker, "LEAVING"), on("occurred_on", "30 11 2026"))
    assert field_error(response, "details_reason") == (
        "Error: Enter an answer to “Why are they leaving?”"
    )
    assert not HrEvent.objects.filter(worker=worker).exists()


def test_the_services_rules_are_named_on_their_fields(web, worker):
    response = web.post(
        new_event(worker, "ABSENCE"),
        {
            **on("occurred_on", "10 11 2026"),
            **on("ends_on", "9 11 2026"),
            "absence_type": "UNAUTHORISED",
        },
    )
    assert response.status_code == 400
    assert field_error(response, "ends_on_day") == (
        "Error: The last day of the absence must be on or after the first"
    )
    response = web.post(new_event(worker, "FIRST_DAY"), on("occurred_on", "17 11 2026"))
    assert field_error(response, "occurred_on_day") == (
        "Error: The date it happened cannot be in the future"
    )
    assert not HrEvent.objects.filter(worker=worker).exists()


def test_a_refusal_about_the_whole_event_shows_above_the_form(web, worker, level1):
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    response = web.post(new_event(worker, "FIRST_DAY"), on("occurred_on", "3 11 2026"))
    assert response.status_code == 400
    assert "Their first day is already recorded (2 November 2026)" in text(response)
    assert HrEvent.objects.filter(worker=worker).count() == 1


def test_a_contact_change_needs_at_least_one_detail(web, worker):
    response = web.post(new_event(worker, "CONTACT_CHANGE"), on("occurred_on", "10 11 2026"))
    assert response.status_code == 400
    assert field_error(response, "details_email") == (
        "Error: Enter at least one of e-mail, phone or home address"
    )
    response = web.post(
        new_event(worker, "CONTACT_CHANGE"),
        {**on("occurred_on", "10 11 2026"), "details_email": "not an address"},
    )
    assert field_error(response, "details_email") == (
        "Error: E-mail address: enter an e-mail address like name@example.com"
    )

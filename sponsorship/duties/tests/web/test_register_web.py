"""The sponsored-worker register in the browser: the list with its filters and search, one
worker's page, changing their dates, and who may see which worker."""

from datetime import date

from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.duties.models import EventSource, Worker, WorkerStatus
from sponsorship.duties.services import activity_report_submit, hr_event_record
from sponsorship.duties.tests.factories import sponsored_worker
from sponsorship.licences.models import LicenceStatus, Route
from sponsorship.licences.tests.factories import SponsorFactory
from sponsorship.licences.tests.web.support import field_error, queries_for, text

REGISTER = "/workers/register/"


def page_of(worker: Worker, page: str = "") -> str:
    return f"{REGISTER}{worker.pk}/" + (f"{page}/" if page else "")


def dates_form(worker: Worker, **dates: str) -> dict[str, str]:
    """The change-dates form as posted: every date blank unless given as "27 11 2026"."""
    form = {"version": str(worker.version)}
    for name in (
        "visa_valid_from",
        "visa_granted_on",
        "permission_expires_on",
        "right_to_work_checked_on",
        "right_to_work_follow_up_on",
    ):
        day, month, year = ([*dates.get(name, "").split(" "), "", "", ""])[:3]
        form.update({f"{name}_day": day, f"{name}_month": month, f"{name}_year": year})
    return form


# ---------------------------------------------------------------- the list


def test_the_register_lists_each_worker_with_their_details(web, worker, level1):
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    Worker.objects.filter(pk=worker.pk).update(
        permission_expires_on=date(2029, 12, 31), right_to_work_follow_up_on=date(2026, 11, 16)
    )
    response = web.get(REGISTER)
    assert response.status_code == 200
    page = text(response)
    assert "All your sponsored workers: 1" in page
    number = worker.certificate.number
    assert (
        f"Łukasz Marek Kowalczyk {number} : Łukasz Marek Kowalczyk Software developer 2134 "
        "Working 31 December 2029 16 November 2026 Due 0"
    ) in page
    assert f'href="{page_of(worker)}"' in response.content.decode()


def test_the_register_counts_each_workers_open_duties(absence_duty, worker, web):
    assert "Working Not recorded None 1" in text(web.get(REGISTER))


def test_the_register_filters_by_status_and_finds_by_number_or_family_name(web, level1, worker):
    ended = sponsored_worker(level1, family_name="Nakamura", start_date=date(2026, 11, 9))
    hr_event_record(
        actor=level1,
        worker=ended,
        kind="LEAVING",
        occurred_on="2026-11-13",
        details={"reason": "RESIGNED"},
    )
    assert Worker.objects.get(pk=ended.pk).status == WorkerStatus.ENDED

    page = text(web.get(REGISTER, {"status": "ENDED"}))
    assert "Workers found: 1" in page and "Nakamura" in page and "Kowalczyk" not in page
    page = text(web.get(REGISTER, {"status": "sponsored"}))
    assert "Kowalczyk" in page and "Nakamura" not in page
    page = text(web.get(REGISTER, {"q": "naka"}))
    assert "Workers found: 1" in page and "Nakamura" in page
    page = text(web.get(REGISTER, {"q": worker.certificate.number.lower()}))
    assert "Workers found: 1" in page and "Kowalczyk" in page
    page = text(web.get(REGISTER, {"q": "Nobody"}))
    assert "No worker matches your search." in page


def test_a_status_not_on_the_list_is_named(web, worker):
    response = web.get(REGISTER, {"status": "SACKED"})
    assert response.status_code == 400
    assert field_error(response, "status") == "Error: Select who to show from the list"
    assert 'href="#id_status"' in response.content.decode()


def test_the_register_pages_its_rows(web, level1, worker):
    for _ in range(25):
        sponsored_worker(level1)
    page = text(web.get(REGISTER))
    assert "All your sponsored workers: 26" in page
    assert "Page 1 of 2" in page
    assert "Page 2 of 2" in text(web.get(REGISTER, {"page": "2"}))


def test_the_number_of_queries_does_not_grow_with_the_rows(web, level1):
    for _ in range(3):
        sponsored_worker(level1)
    three = queries_for(web, REGISTER)
    for _ in range(27):
        sponsored_worker(level1)
    assert queries_for(web, REGISTER) == three


def test_level2_sees_only_the_workers_whose_certificates_they_own(as_user, level2, worker):
    mine = sponsored_worker(level2, family_name="Okafor")
    client = as_user(level2)
    page = text(client.get(REGISTER))
    assert "Okafor" in page and "Kowalczyk" not in page
    assert "You see the workers whose certificates you own." in page
    assert client.get(page_of(mine)).status_code == 200
    for url in (page_of(worker), page_of(worker, "dates"), page_of(worker, "events/new")):
        assert client.get(url).status_code == 404
    assert client.post(page_of(worker, "dates"), dates_form(worker)).status_code == 404


def test_another_sponsors_worker_is_not_found(as_user, other_level1, worker):
    client = as_user(other_level1)
    assert worker.certificate.number not in text(client.get(REGISTER))
    for url in (page_of(worker), page_of(worker, "dates"), page_of(worker, "events/new")):
        assert client.get(url).status_code == 404
    assert client.post(page_of(worker, "dates"), dates_form(worker)).status_code == 404


def test_a_suspended_licence_still_keeps_its_register(web, sponsor, worker):
    """Reporting duties go on while a licence is suspended."""
    sponsor.status = LicenceStatus.SUSPENDED
    sponsor.save()
    assert web.get(REGISTER).status_code == 200
    assert web.get(page_of(worker)).status_code == 200


def test_a_licence_without_a_worker_route_has_no_register(db, signed_in):
    students_only = SponsorFactory(routes=[Route.STUDENT])
    client = signed_in(Level1Factory(sponsor=students_only))
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert "Your licence does not include a worker route." in text(response)


# ---------------------------------------------------------------- one worker


def test_the_workers_page_shows_the_register_and_what_happened(absence_duty, worker, web):
    response = web.get(page_of(worker))
    assert response.status_code == 200
    page = text(response)
    assert "Łukasz Marek Kowalczyk" in page
    assert f"Certificate number {worker.certificate.number} (used)" in page
    assert "Job title Software developer" in page
    assert "Occupation (SOC) code 2134" in page
    assert "Gross annual salary £55,000.00" in page
    assert "Main work address 1 High Street, London, SW1A 1AA (England)" in page
    assert "First day at work 2 November 2026" in page
    assert "Home address 14 Wellington Road, Leeds, LS1 4AB" in page
    assert "Unauthorised absence 16 November 2026 Still away" in page
    # Events newest first.
    newest, oldest = "16 November 2026 Absence", "2 November 2026 First day at work 16 November"
    assert page.index(newest) < page.index(oldest)
    assert (
        "Unauthorised absence of more than 10 working days Absent without permission since "
        "16 November 2026 11 December 2026 To do"
    ) in page
    assert "No reports sent yet." in page
    for action in ("Record an event", "Report activity", "Change dates"):
        assert action in page


def test_the_workers_page_names_what_an_hr_system_sent_and_links_each_report(web, worker, level1):
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="SALARY_CHANGE",
        occurred_on="2026-11-16",
        details={"new_salary": "50000"},
        source=EventSource.API,
    )
    report = activity_report_submit(
        actor=level1,
        worker=worker,
        kind="BREACH_SUSPECTED",
        event_date="2026-11-13",
        details={"description": "Working for another employer."},
    )
    response = web.get(page_of(worker))
    assert (
        f'href="/workers/reports/{report.pk}/">{report.reference}</a>' in response.content.decode()
    )
    page = text(response)
    assert "(sent by an HR system)" in page
    assert "(in a bulk file)" not in page


def test_an_overdue_duty_is_tagged_on_the_workers_page(
    absence_duty, worker, frozen, signed_in, level1
):
    frozen.move_to("2026-12-14 10:00")
    page = text(signed_in(level1).get(page_of(worker)))
    assert "11 December 2026 Overdue" in page


def test_the_contact_history_is_kept(web, worker, level1):
    hr_event_record(
        actor=level1,
        worker=worker,
        kind="CONTACT_CHANGE",
        occurred_on="2026-11-10",
        details={"email": "lukasz@example.com", "phone": "07700 900123"},
    )
    page = text(web.get(page_of(worker)))
    assert "E-mail address lukasz@example.com" in page
    assert "Phone number 07700 900123" in page
    assert "Earlier contact details" in page
    assert "10 November 2026 lukasz@example.com 07700 900123" in page


def test_no_report_is_offered_on_a_certificate_that_is_not_used(web, worker):
    worker.certificate.status = "CANCELLED"
    worker.certificate.save()
    page = text(web.get(page_of(worker)))
    assert "Report activity" not in page
    assert f"Certificate {worker.certificate.number} is cancelled" in page


# ---------------------------------------------------------------- change dates


def test_changing_the_dates(web, worker):
    url = page_of(worker, "dates")
    assert "Change visa, permission and right to work dates" in text(web.get(url))
    response = web.post(
        url,
        dates_form(
            worker,
            permission_expires_on="31 12 2029",
            right_to_work_checked_on="2 11 2026",
            right_to_work_follow_up_on="30 6 2027",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == page_of(worker)
    saved = Worker.objects.get(pk=worker.pk)
    assert saved.permission_expires_on == date(2029, 12, 31)
    assert saved.right_to_work_follow_up_on == date(2027, 6, 30)
    page = text(web.get(page_of(worker)))
    assert "The dates were saved." in page
    assert "Permission (visa) expiry date 31 December 2029" in page
    assert "Right to work follow-up check date 30 June 2027" in page


def test_the_form_shows_the_dates_already_recorded(web, worker):
    Worker.objects.filter(pk=worker.pk).update(permission_expires_on=date(2029, 12, 31))
    html = web.get(page_of(worker, "dates")).content.decode()
    assert 'name="permission_expires_on_day" type="text" inputmode="numeric" value="31"' in html
    assert 'name="permission_expires_on_year" type="text" inputmode="numeric" value="2029"' in html


def test_a_wrong_date_is_named_and_nothing_is_saved(web, worker):
    response = web.post(
        page_of(worker, "dates"),
        dates_form(worker, permission_expires_on="31 2 2029", visa_valid_from="1 11"),
    )
    assert response.status_code == 400
    assert field_error(response, "permission_expires_on_day") == (
        "Error: The permission (visa) expiry date must be a real date, like 27 11 2026"
    )
    assert field_error(response, "visa_valid_from_day") == (
        "Error: The date the visa is valid from must include a year"
    )
    html = response.content.decode()
    assert 'href="#id_permission_expires_on_day"' in html
    assert 'href="#id_visa_valid_from_year"' in html
    assert Worker.objects.get(pk=worker.pk).permission_expires_on is None


def test_the_services_rules_are_named_on_their_dates(web, worker):
    response = web.post(
        page_of(worker, "dates"),
        dates_form(
            worker, right_to_work_checked_on="2 11 2026", right_to_work_follow_up_on="1 11 2026"
        ),
    )
    assert response.status_code == 400
    assert field_error(response, "right_to_work_follow_up_on_day") == (
        "Error: The follow-up check date must be after the right to work check date"
    )
    assert Worker.objects.get(pk=worker.pk).right_to_work_checked_on is None


def test_a_stale_form_is_refused_with_a_clear_message(web, worker, level1):
    stale = dates_form(worker, permission_expires_on="31 12 2029")
    hr_event_record(actor=level1, worker=worker, kind="FIRST_DAY", occurred_on="2026-11-02")
    response = web.post(page_of(worker, "dates"), stale)
    assert response.status_code == 409
    assert "Someone changed this since you opened it." in text(response)
    assert Worker.objects.get(pk=worker.pk).permission_expires_on is None


def test_a_form_without_its_version_is_out_of_date(web, worker):
    form = dates_form(worker, permission_expires_on="31 12 2029")
    del form["version"]
    response = web.post(page_of(worker, "dates"), form)
    assert response.status_code == 400
    assert "This form is out of date. Reload the page and try again." in text(response)

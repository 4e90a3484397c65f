from sponsorship.accounts.tests.factories import Level1Factory
from sponsorship.core.menus import menu_for
from sponsorship.licences.models import LicenceStatus, Rating, Route, SponsorRoute
from sponsorship.licences.tests.factories import SponsorFactory


def test_level1_home_shows_licence_and_worker_menus(signed_in, level1):
    client = signed_in(level1)
    page = client.get("/home/").content.decode()
    assert "Licence summary, applications and services" in page
    assert "Defined certificates of sponsorship" in page
    assert "Students" not in page


def test_level2_home_hides_licence_menu_and_defined_cos(signed_in, level2):
    page = signed_in(level2).get("/home/").content.decode()
    assert "Licence summary" not in page
    assert "Defined certificates of sponsorship" not in page
    assert "Create and assign a certificate of sponsorship" in page


def test_dormant_licence_hides_licence_menu(signed_in, level1):
    level1.sponsor.status = LicenceStatus.DORMANT
    level1.sponsor.save()
    client = signed_in(level1)
    assert "Licence summary" not in client.get("/home/").content.decode()
    assert client.get("/licence/").status_code == 409


def test_student_only_sponsor_sees_students_menu_not_workers(signed_in, db):
    from sponsorship.accounts.tests.factories import Level1Factory

    university = SponsorFactory(routes=[Route.STUDENT])
    page = signed_in(Level1Factory(sponsor=university)).get("/home/").content.decode()
    assert "Create and assign a CAS" in page
    assert "Workers" not in page


def test_suspended_licence_shows_blocked_entries_unlinked_with_the_reason(signed_in, level1):
    level1.sponsor.status = LicenceStatus.SUSPENDED
    level1.sponsor.save()
    client = signed_in(level1)
    page = client.get("/home/").content.decode()
    assert "Request or renew allocations<br>" in page
    assert "Not available while your licence is suspended." in page
    assert 'href="/not-available/allocations/"' not in page
    # Reporting is not blocked by a suspension: still a link.
    assert 'href="/workers/reports/">Report migrant activity</a>' in page
    assert 'href="/certificates/new/"' not in page
    response = client.get("/certificates/new/")
    assert response.status_code == 409
    assert "Not available while your licence is suspended." in response.content.decode()


def test_every_menu_entry_of_a_university_leads_to_a_page(signed_in, db):
    university = Level1Factory(sponsor=SponsorFactory(routes=[Route.STUDENT]))
    client = signed_in(university)
    for section, entries in menu_for(university):
        for entry in entries:
            response = client.get(entry.item.href)
            assert response.status_code == 200, (section.title, entry.item.label)


def test_a_university_reaches_its_reporting_duties_from_the_compliance_menu(signed_in, db):
    university = Level1Factory(sponsor=SponsorFactory(routes=[Route.STUDENT]))
    shown = {
        section.title: [entry.item.label for entry in entries]
        for section, entries in menu_for(university)
    }
    assert "Workers" not in shown
    assert shown["Compliance"] == [
        "Reporting duties",
        "Compliance dashboard",
        "Mock audit",
        "Evidence packs",
        "Record a change to your organisation",
        "Reminder settings",
    ]
    page = signed_in(university).get("/home/").content.decode()
    assert 'href="/workers/duties/">Reporting duties</a>' in page


def test_level1_menu_links_users_key_personnel_and_paye(signed_in, level1):
    page = signed_in(level1).get("/home/").content.decode()
    users = page.index('href="/licence/users/">Manage Level 1 and Level 2 users</a>')
    key_people = page.index('href="/licence/key-personnel/">Key personnel</a>')
    assert users < key_people, "key personnel comes right after the users entry"
    assert 'href="/licence/paye/">PAYE references</a>' in page
    assert "/not-available/users/" not in page
    assert "/not-available/paye/" not in page


def test_provisional_licence_shows_user_management_unlinked_with_the_reason(signed_in, db):
    from sponsorship.accounts.tests.factories import Level1Factory

    expanding = SponsorFactory(routes=[])
    SponsorRoute.objects.create(
        sponsor=expanding, route=Route.GBM_UK_EXPANSION, rating=Rating.PROVISIONAL
    )
    page = signed_in(Level1Factory(sponsor=expanding)).get("/home/").content.decode()
    assert "Manage Level 1 and Level 2 users<br>" in page
    assert 'href="/licence/users/"' not in page
    assert "While your licence is provisionally rated you cannot manage users here." in page
    assert 'href="/licence/paye/">PAYE references</a>' in page

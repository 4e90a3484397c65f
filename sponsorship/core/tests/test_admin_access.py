from sponsorship.accounts.tests.factories import CaseworkerFactory


def test_superuser_reaches_admin_pages_including_those_other_apps_add(signed_in, db):
    admin_user = CaseworkerFactory(is_superuser=True)
    client = signed_in(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 200
    assert client.get("/admin/audit/auditevent/").status_code == 200


def test_caseworker_who_is_not_a_superuser_cannot_use_admin(signed_in, caseworker):
    response = signed_in(caseworker).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

"""audit_record appends to one hash chain per sponsor; audit_verify finds any change to it."""

from datetime import datetime
from io import StringIO
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from sponsorship.audit.chain import stored_event_hash
from sponsorship.audit.models import HOME_OFFICE_CHAIN, AuditChain, AuditEvent, AuditVerb
from sponsorship.audit.services import Target, audit_record

GENESIS = "0" * 64


def chain_of(sponsor) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain__key=f"sponsor:{sponsor.pk}").order_by("seq"))


def recomputed(event: AuditEvent) -> str:
    return stored_event_hash(event)


def verify(*args):
    """Run audit_verify expecting success; returns (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def trail(level1, level2):
    """Five events for one sponsor, by two users, with varied payloads."""
    audit_record(AuditVerb.SIGN_IN, actor=level1, ip_address="192.0.2.10")
    audit_record(AuditVerb.PASSWORD_CHANGED, actor=level2, ip_address="2001:db8::1")
    audit_record(
        AuditVerb.API_TOKEN_CREATED,
        actor=level1,
        target=Target(type="api.ApiToken", id="7", label="HR system (abc)"),
    )
    audit_record(
        AuditVerb.MESSAGES_ARCHIVED,
        actor_label="daily sweep",
        sponsor=level1.sponsor,
        payload={"message_ids": [3, 1, 2], "name": "Łukasz Жанна", "when": datetime(2026, 1, 2)},
    )
    audit_record(AuditVerb.SIGN_OUT, actor=level1)
    return chain_of(level1.sponsor)


# Writing


def test_events_are_numbered_one_to_n_and_each_links_to_the_one_before(trail):
    assert [e.seq for e in trail] == [1, 2, 3, 4, 5]
    assert trail[0].prev_hash == GENESIS
    for before, after in pairwise(trail):
        assert after.prev_hash == before.hash
    for event in trail:
        assert event.hash == recomputed(event)
        assert len(event.hash) == 64


def test_the_chain_head_records_the_last_event(trail, sponsor):
    chain = AuditChain.objects.get(key=f"sponsor:{sponsor.pk}")
    assert chain.last_seq == 5
    assert chain.last_hash == trail[-1].hash


def test_event_records_actor_sponsor_target_and_address(trail, level1):
    sign_in, _, token, sweep, _ = trail
    assert sign_in.actor == level1
    assert sign_in.actor_label == "LEVELONE1"
    assert sign_in.sponsor == level1.sponsor
    assert sign_in.ip_address == "192.0.2.10"
    assert (token.target_type, token.target_id, token.target_label) == (
        "api.ApiToken",
        "7",
        "HR system (abc)",
    )
    assert sweep.actor is None
    assert sweep.actor_label == "daily sweep"
    # Stored exactly as it is read back, so the hash still verifies after a round trip.
    assert sweep.payload == {
        "message_ids": [3, 1, 2],
        "name": "Łukasz Жанна",
        "when": "2026-01-02 00:00:00",
    }


def test_each_sponsor_has_its_own_chain(level1, other_level1):
    for _ in range(3):
        audit_record(AuditVerb.SIGN_IN, actor=level1)
        audit_record(AuditVerb.SIGN_IN, actor=other_level1)
    ours, theirs = chain_of(level1.sponsor), chain_of(other_level1.sponsor)
    assert [e.seq for e in ours] == [1, 2, 3]
    assert [e.seq for e in theirs] == [1, 2, 3]
    assert {e.sponsor_id for e in ours} == {level1.sponsor_id}
    assert {e.sponsor_id for e in theirs} == {other_level1.sponsor_id}
    assert ours[0].prev_hash == theirs[0].prev_hash == GENESIS
    assert {e.hash for e in ours}.isdisjoint({e.hash for e in theirs})
    verify()


def test_events_without_a_sponsor_go_to_the_home_office_chain(caseworker, level1):
    audit_record(AuditVerb.SIGN_IN, actor=caseworker)
    audit_record(AuditVerb.SIGN_IN_FAILED, actor_label="NOSUCHUSER")
    events = list(AuditEvent.objects.filter(chain__key=HOME_OFFICE_CHAIN).order_by("seq"))
    assert [(e.seq, e.actor_label) for e in events] == [(1, "CASEWORK1"), (2, "NOSUCHUSER")]
    assert {e.sponsor_id for e in events} == {None}
    assert not chain_of(level1.sponsor)


def test_a_caseworker_action_on_a_sponsor_user_is_in_the_sponsors_chain(caseworker, level1):
    audit_record(
        AuditVerb.ACCOUNT_UNLOCKED,
        actor=caseworker,
        sponsor=level1.sponsor,
        target=Target.of(level1),
    )
    (event,) = chain_of(level1.sponsor)
    assert event.actor == caseworker
    assert event.target_label == str(level1)


def test_events_written_at_other_times_still_verify(level1):
    for moment in (
        datetime(2026, 3, 29, 0, 59, tzinfo=ZoneInfo("UTC")),  # the hour the clocks go forward
        datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Europe/London")),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("UTC")),
    ):
        with time_machine.travel(moment, tick=False):
            audit_record(AuditVerb.SIGN_IN, actor=level1)
    verify()


# Verifying


def test_verify_passes_on_an_untouched_trail(trail, caseworker):
    audit_record(AuditVerb.SIGN_IN, actor=caseworker)
    out, err = verify()
    assert "All 2 audit chains verify." in out
    assert err == ""


def test_verify_passes_with_no_events_at_all(db):
    out, _ = verify()
    assert "All 0 audit chains verify." in out


def _broken(*args) -> tuple[str, str]:
    """Run audit_verify expecting a broken chain; returns (the error, what it wrote to stderr)."""
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", *args, stdout=StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


def test_a_changed_payload_is_found_and_named(trail, sponsor):
    AuditEvent.objects.filter(pk=trail[3].pk).update(payload={"message_ids": [1]})
    message, stderr = _broken()
    assert message == "1 of 1 audit chains are broken."
    assert f"chain sponsor:{sponsor.pk}, position 4 (event id {trail[3].pk})" in stderr
    assert "changed after it was written" in stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor_label", "SOMEONEELSE"),
        ("verb", AuditVerb.SIGN_OUT),
        ("ip_address", "198.51.100.1"),
        ("target_label", "Another token"),
        ("created_at", datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))),
    ],
)
def test_any_changed_field_is_found(trail, sponsor, field, value):
    AuditEvent.objects.filter(pk=trail[2].pk).update(**{field: value})
    _, stderr = _broken()
    assert f"chain sponsor:{sponsor.pk}, position 3" in stderr


def test_a_deleted_middle_event_is_found_and_named(trail, sponsor):
    AuditEvent.objects.filter(pk=trail[1].pk).delete()
    message, stderr = _broken()
    assert message == "1 of 1 audit chains are broken."
    assert f"chain sponsor:{sponsor.pk}, position 2 (a missing event)" in stderr
    assert "event 2 is missing" in stderr


def test_a_deleted_last_event_is_found(trail, sponsor):
    AuditEvent.objects.filter(pk=trail[-1].pk).delete()
    _, stderr = _broken()
    assert f"chain sponsor:{sponsor.pk}, position 5" in stderr
    assert "should reach 5" in stderr


def test_a_rewritten_event_with_a_fresh_hash_breaks_the_next_link(trail, sponsor):
    forged = trail[1]
    forged.actor_label = "SOMEONEELSE"
    forged.hash = recomputed(forged)
    AuditEvent.objects.filter(pk=forged.pk).update(actor_label=forged.actor_label, hash=forged.hash)
    _, stderr = _broken()
    assert f"chain sponsor:{sponsor.pk}, position 3 (event id {trail[2].pk})" in stderr
    assert "does not link to the event before it" in stderr


def test_only_the_broken_chain_is_reported(trail, sponsor, other_level1):
    audit_record(AuditVerb.SIGN_IN, actor=other_level1)
    AuditEvent.objects.filter(pk=trail[0].pk).update(payload={"forged": True})
    message, stderr = _broken()
    assert message == "1 of 2 audit chains are broken."
    assert f"sponsor:{sponsor.pk}" in stderr
    assert f"sponsor:{other_level1.sponsor_id}" not in stderr


def test_each_broken_chain_is_reported(trail, sponsor, other_level1):
    theirs = audit_record(AuditVerb.SIGN_IN, actor=other_level1)
    AuditEvent.objects.filter(pk=trail[0].pk).update(payload={"forged": True})
    AuditEvent.objects.filter(pk=theirs.pk).update(payload={"forged": True})
    message, stderr = _broken()
    assert message == "2 of 2 audit chains are broken."
    assert f"chain sponsor:{sponsor.pk}, position 1" in stderr
    assert f"chain sponsor:{other_level1.sponsor_id}, position 1" in stderr


def test_one_chain_can_be_checked_on_its_own(trail, sponsor, other_level1):
    audit_record(AuditVerb.SIGN_IN, actor=other_level1)
    AuditEvent.objects.filter(pk=trail[0].pk).update(payload={"forged": True})
    out, _ = verify("--chain", f"sponsor:{other_level1.sponsor_id}")
    assert "All 1 audit chains verify." in out
    message, _ = _broken("--chain", f"sponsor:{sponsor.pk}")
    assert message == "1 of 1 audit chains are broken."


@pytest.mark.parametrize("address", ["2001:DB8::1", "2001:db8:0:0::1", "2001:0db8::0001"])
def test_an_ipv6_address_in_any_spelling_still_verifies(level1, address):
    audit_record(AuditVerb.SIGN_IN, actor=level1, ip_address=address)
    verify()


def test_signing_in_from_an_ipv6_address_leaves_a_trail_that_verifies(client, level2):
    from sponsorship.accounts.tests.factories import PASSWORD

    client.defaults["REMOTE_ADDR"] = "2001:DB8:0:0::1"
    response = client.post("/sign-in/", {"user_id": level2.username, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN, actor=level2).exists()
    verify()


def test_a_canonical_ipv6_address_verifies(level1):
    audit_record(AuditVerb.SIGN_IN, actor=level1, ip_address="2001:db8::1")
    verify()


def test_appending_after_verification_still_verifies(trail, level1):
    verify()
    audit_record(AuditVerb.SIGN_IN, actor=level1)
    verify()
    assert [e.seq for e in chain_of(level1.sponsor)] == [1, 2, 3, 4, 5, 6]


def test_many_sponsors_at_once_continue_each_chain_and_verify(trail, sponsor, other_level1):
    """A job writing one event for each of many sponsors (audit_record_many) links each event
    to its chain's head as audit_record does, new chains included."""
    from sponsorship.audit.services import audit_record_many

    other = other_level1.sponsor
    written = audit_record_many(
        AuditVerb.DUTY_RAISED,
        [(sponsor.pk, {"raised": {"ABSENCE": 2}}), (other.pk, {"raised": {"DID_NOT_START": 1}})],
        actor_label="daily sweep",
    )
    audit_record(AuditVerb.SIGN_IN, actor=other_level1)
    assert written == 2
    mine = chain_of(sponsor)
    assert [event.seq for event in mine] == [1, 2, 3, 4, 5, 6]
    assert mine[-1].prev_hash == mine[-2].hash
    assert mine[-1].actor_label == "daily sweep" and mine[-1].actor_id is None
    assert [event.verb for event in chain_of(other)] == [AuditVerb.DUTY_RAISED, AuditVerb.SIGN_IN]
    out, err = verify()
    assert "All 2 audit chains verify." in out
    assert err == ""

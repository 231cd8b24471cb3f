"""Entries are never changed or deleted: not through the models, not through a queryset, not by raw SQL."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

import audit
from audit.models import AppendOnlyError, AuditEntry
from tests.conftest import make_user


@pytest.fixture
def entry(chair, community):
    return audit.record(chair, "consultation.created", community=community, target=community, note="first")


def test_an_entry_cannot_be_saved_again_or_deleted(entry):
    entry.action = "poll.closed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get().action == "consultation.created"


def test_a_queryset_cannot_update_or_delete_entries(entry):
    for attempt in (
        lambda: AuditEntry.objects.update(action="poll.closed"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.bulk_update([entry], ["action"]),
        lambda: AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"action": "poll.closed"}),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AuditEntry.objects.get().action == "consultation.created"


def test_an_unknown_action_is_refused_before_anything_is_written(chair, community):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(chair, "issue.tickled", community=community)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("change", [
    "action = 'poll.closed'",
    "actor_name = 'Someone else'",
    "details = '{}'",
    "target_label = 'other'",
    "\"when\" = '2000-01-01 00:00:00+00:00'",
])
def test_raw_sql_cannot_rewrite_an_entry(entry, change):
    before = AuditEntry.objects.values().get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditentry SET {change} WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.values().get() == before


def test_raw_sql_cannot_point_an_entry_at_another_person_or_community(entry, resident, other_community):
    for column, value in (("actor_id", resident.pk), ("community_id", other_community.pk)):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, entry.pk])
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.community_id) != (resident.pk, other_community.pk)
    assert entry.actor_name == "Chen"


def test_raw_sql_deletes_are_refused_where_the_database_can_tell_them_from_a_flush(entry):
    deleting = "DELETE FROM audit_auditentry WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(deleting, [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    else:  # SQLite has no TRUNCATE: flush deletes row by row, so only the models refuse (audit/triggers.py)
        with connection.cursor() as cursor:
            cursor.execute(deleting, [entry.pk])
        assert not AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_the_actor_or_the_community_keeps_the_entry_with_its_snapshots(community):
    person = make_user("leaving@test.org", "Lena")
    entry = audit.record(person, "token.created", community=community, target=community)
    person.delete()
    community.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor_id, entry.community_id) == (None, None)
    assert (entry.actor_name, entry.action, entry.target_label) == ("Lena", "token.created", community.name)


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database(chair, community):
    audit.record(chair, "consultation.created", community=community)
    call_command("flush", interactive=False, stdout=io.StringIO())
    assert not AuditEntry.objects.exists()

"""The community's working calendar page: who sees and keeps it, adding and removing days, deadlines."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from community.models import LocalDay
from issues.models import Category


def url(community, month="2026-10"):
    return reverse("issues:calendar", args=[community.slug]) + (f"?month={month}" if month else "")


def test_the_committee_sees_the_national_holidays_by_name_and_the_make_up_days(client, chair, community):
    client.force_login(chair)
    page = client.get(url(community)).content.decode()
    assert "National Day (public holiday)" in page and "Make-up working day for National Day" in page
    page = client.get(url(community, "2026-02")).content.decode()
    assert "Spring Festival (public holiday)" in page and "Make-up working day for Spring Festival" in page


def test_the_page_is_in_chinese_for_a_chinese_reader(client, chair, community):
    chair.language = "zh-hans"
    chair.save()
    client.force_login(chair)
    assert client.get(url(community)).status_code == 200


def test_a_year_the_national_calendar_does_not_know_is_said_plainly(client, chair, community):
    client.force_login(chair)
    page = client.get(url(community, "2030-05")).content.decode()
    assert "The national holiday calendar for 2030 is not known here yet" in page
    assert "not known here yet" not in client.get(url(community, "2026-05")).content.decode()


@pytest.mark.parametrize("who", ["resident", "org_rep", "outsider_chair", "moderator"])
def test_people_who_set_no_deadline_do_not_see_the_calendar(client, community, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(community)).status_code == 404


def test_a_grid_worker_reads_the_calendar_but_cannot_change_it(client, grid_worker, community):
    client.force_login(grid_worker)
    page = client.get(url(community)).content.decode()
    assert "National Day" in page and "Add to the calendar" not in page
    response = client.post(url(community, None), {"action": "add-day", "day": "2026-10-12", "kind": "off"})
    assert response.status_code == 403 and not LocalDay.objects.exists()


def test_the_committee_adds_and_removes_a_local_day_and_both_are_audited(client, chair, community):
    client.force_login(chair)
    response = client.post(url(community, None), {"action": "add-day", "day": "2026-10-12", "kind": "off",
                                                  "note": "Clean-up day <script>alert(1)</script>", "month": "2026-10"})
    assert response.status_code == 302 and response["Location"].endswith("?month=2026-10")
    local = LocalDay.objects.get()
    assert (local.day, local.kind) == (date(2026, 10, 12), "off")
    page = client.get(url(community)).content.decode()
    assert "Clean-up day &lt;script&gt;" in page and "<script>alert(1)" not in page
    client.post(url(community, None), {"action": "remove-day", "local_day": local.pk})
    assert not LocalDay.objects.exists()
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "calendar.day_added", "calendar.day_removed"]


@pytest.mark.parametrize(("data", "message"), [
    ({"day": "not a date", "kind": "off"}, "Enter a valid date"),
    ({"day": "2026-10-12", "kind": "holiday"}, "Select a valid choice"),
    ({"day": "2026-10-12", "kind": "off", "note": "x" * 121}, "at most 120 characters"),
])
def test_a_bad_day_is_refused_with_a_message_and_changes_nothing(client, chair, community, data, message):
    client.force_login(chair)
    response = client.post(url(community, None), {"action": "add-day", **data}, follow=True)
    assert message in response.content.decode()
    assert not LocalDay.objects.exists() and not AuditEntry.objects.exists()


def test_a_day_already_on_the_calendar_is_refused(client, chair, community):
    LocalDay.objects.create(community=community, day=date(2026, 10, 12), kind="work")
    client.force_login(chair)
    response = client.post(url(community, None), {"action": "add-day", "day": "2026-10-12", "kind": "off"},
                           follow=True)
    assert "is already on the calendar" in response.content.decode()
    assert LocalDay.objects.get().kind == "work"


def test_a_day_of_another_community_cannot_be_removed_from_here(client, chair, community, other_community):
    elsewhere = LocalDay.objects.create(community=other_community, day=date(2026, 10, 12), kind="off")
    client.force_login(chair)
    response = client.post(url(community, None), {"action": "remove-day", "local_day": elsewhere.pk}, follow=True)
    assert "no longer on the calendar" in response.content.decode()
    assert LocalDay.objects.filter(pk=elsewhere.pk).exists()


def test_the_committee_sets_the_deadlines_and_office_hours(client, chair, community):
    client.force_login(chair)
    client.post(url(community, None), {
        "action": "deadlines", "response_deadline": "16", "response_deadline_unit": "working_hours",
        "resolution_deadline": "5", "resolution_deadline_unit": "working_days", "office_hours": "08:30-12:00,14:00-18:00"})
    community.refresh_from_db()
    assert (community.response_deadline, community.response_deadline_unit) == (16, "working_hours")
    assert community.office_hours == "08:30-12:00, 14:00-18:00"
    entry = AuditEntry.objects.get()
    assert entry.action == "calendar.deadlines_changed" and entry.details["response"] == "16 working hours"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("office_hours", "12:00-09:00", "Write office hours as times"),
    ("response_deadline", "0", "greater than or equal to 1"),
    ("response_deadline_unit", "weeks", "Select a valid choice"),
    ("resolution_deadline", "100", "whole number from 1 to 60"),
])
def test_bad_deadlines_are_refused_and_change_nothing(client, chair, community, field, value, message):
    client.force_login(chair)
    data = {"action": "deadlines", "response_deadline": "2", "response_deadline_unit": "working_days",
            "resolution_deadline": "10", "resolution_deadline_unit": "working_days",
            "office_hours": "09:00-12:00, 13:30-17:30", field: value}
    response = client.post(url(community, None), data, follow=True)
    assert message in response.content.decode()
    community.refresh_from_db()
    assert community.office_hours == "09:00-12:00, 13:30-17:30" and community.resolution_deadline == 10
    assert not AuditEntry.objects.exists()


def test_the_committee_gives_a_category_its_own_deadlines_and_clears_them(client, chair, community, category):
    client.force_login(chair)
    client.post(url(community, None), {"action": "category", "category": category.pk, "response_amount": "4",
                                       "response_unit": "working_hours", "resolution_amount": "", "resolution_unit": ""})
    category.refresh_from_db()
    assert (category.response_deadline, category.response_deadline_unit) == (4, "working_hours")
    assert category.resolution_deadline is None
    assert "4 working hours" in client.get(url(community)).content.decode()
    client.post(url(community, None), {"action": "category", "category": category.pk, "response_amount": "",
                                       "response_unit": "", "resolution_amount": "", "resolution_unit": ""})
    category.refresh_from_db()
    assert category.response_deadline is None and category.response_deadline_unit == ""


def test_a_category_of_another_community_is_refused(client, chair, community, other_community):
    theirs = Category.objects.create(community=other_community, name="Theirs")
    client.force_login(chair)
    response = client.post(url(community, None), {"action": "category", "category": theirs.pk,
                                                  "response_amount": "4", "response_unit": "hours"}, follow=True)
    assert "Choose one of the community&#x27;s categories" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.response_deadline is None


def test_the_calendar_page_runs_a_fixed_number_of_queries(client, chair, community, django_assert_max_num_queries):
    client.force_login(chair)
    client.get(url(community))
    for n in range(12):
        LocalDay.objects.create(community=community, day=date(2026, 10, 10 + n), kind="off", note=f"Day {n}")
        Category.objects.create(community=community, name=f"Category {n}")
    with django_assert_max_num_queries(12):
        assert client.get(url(community)).status_code == 200


def _admin_form(client, community, **changes):
    """The admin's change form of the community as the browser would send it, with ``changes``."""
    page = client.get(reverse("admin:community_community_change", args=[community.pk]))
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name != "created_at"}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for inline in formset.formset.forms:
            for name, value in inline.initial.items():
                data[f"{inline.prefix}-{name}"] = "" if value is None else value
            if inline.instance.pk:
                data[f"{inline.prefix}-id"] = inline.instance.pk
    data.update(changes)
    return data


def test_staff_add_and_remove_local_days_and_deadlines_in_the_admin_and_each_change_is_audited(client, community):
    from tests.conftest import make_user

    client.force_login(make_user("staff@test.org", "Sam", is_staff=True, is_superuser=True))
    url = reverse("admin:community_community_change", args=[community.pk])
    data = _admin_form(client, community, **{"local_days-TOTAL_FORMS": "1", "local_days-0-day": "2026-10-12",
                                             "local_days-0-kind": "off", "local_days-0-note": "Clean-up day",
                                             "local_days-0-community": community.pk})
    assert client.post(url, data).status_code == 302
    local = LocalDay.objects.get()
    data = _admin_form(client, community, **{"local_days-0-DELETE": "on", "response_deadline": "8",
                                             "response_deadline_unit": "working_hours"})
    assert client.post(url, data).status_code == 302
    community.refresh_from_db()
    assert not LocalDay.objects.filter(pk=local.pk).exists()
    assert (community.response_deadline, community.response_deadline_unit) == (8, "working_hours")
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "calendar.day_added", "calendar.deadlines_changed", "calendar.day_removed"]
    refused = client.post(url, _admin_form(client, community, resolution_deadline="500"))
    assert refused.status_code == 200 and "whole number from 1 to 60" in refused.content.decode()

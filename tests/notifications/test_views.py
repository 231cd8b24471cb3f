

def test_opening_a_notification_marks_it_read_and_alerts_stand_out(client, resident, chair, community, grid,
                                                                  category):
    from datetime import timedelta

    from django.utils import timezone

    from issues import services as issue_services
    from issues.models import Issue
    from issues.services.outcomes import sweep_issues as sweep

    issue = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Lift", body="B")
    Issue.objects.filter(pk=issue.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    sweep()
    alert = chair.notifications.get(alert=True)
    assert "escalated" in alert.message
    client.force_login(chair)
    page = client.get("/notifications/").content.decode()
    assert 'class="notification unread alert"' in page and ">Alert<" in page
    response = client.post(f"/notifications/{alert.pk}/open")
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    alert.refresh_from_db()
    assert alert.read_at is not None
    client.force_login(resident)
    assert client.post(f"/notifications/{alert.pk}/open").status_code == 404  # not hers

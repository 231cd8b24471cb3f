"""Everyone invited can answer: in person, as a resident of the invited grid or community, or for an invited
organisation through its representative; the chair reads the answers by organisation, grid and person."""

import pytest
from django.utils.html import escape
from django.core.exceptions import PermissionDenied

from meetings import services
from tests.meetings.conftest import schedule


def test_a_representative_answers_for_the_organisation_and_the_chair_reads_it(client, meeting, chair, org_rep,
                                                                            organisation, resident):
    client.force_login(org_rep)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert escape(f"{organisation.name} is invited. Will it come?") in page
    response = client.post(f"/meetings/{meeting.pk}/respond", {"response": "yes", "organisation": organisation.pk})
    assert response.status_code == 302
    assert meeting.invitations.get(organisation=organisation).response == "yes"
    assert not meeting.invitations.filter(user=org_rep).exists()  # the organisation answered, not a new guest
    with pytest.raises(PermissionDenied):
        services.respond_to_invitation(resident, meeting_id=meeting.pk, response="no",
                                       organisation_id=organisation.pk)
    client.force_login(chair)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Who said they come" in page and escape(f"{organisation.name} — Yes") in page


def test_residents_of_an_invited_grid_answer_and_the_chair_counts_them_by_grid(client, chair, community, grid,
                                                                             resident, resident_of_other_grid):
    meeting = schedule(chair, community, audience="grid", grid=grid)
    client.force_login(resident)
    assert "Will you come?" in client.get(meeting.get_absolute_url()).content.decode()
    client.post(f"/meetings/{meeting.pk}/respond", {"response": "maybe"})
    assert meeting.invitations.get(user=resident).response == "maybe"
    client.force_login(resident_of_other_grid)
    assert "Will you come?" not in client.get(meeting.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        services.respond_to_invitation(resident_of_other_grid, meeting_id=meeting.pk, response="yes")
    client.force_login(chair)
    page = client.get(meeting.get_absolute_url()).content.decode()
    row = page.split(f'<th scope="row">{escape(grid.name)}</th>')[1].split("</tr>")[0]
    assert row == "<td>0</td><td>1</td><td>0</td><td>0</td>"  # yes, maybe, no, no answer yet


def test_the_invite_list_labels_each_person_with_role_grid_and_organisation_to_find_them(client, chair, resident,
                                                                                       org_rep, grid, organisation):
    client.force_login(chair)
    page = client.get("/meetings/new").content.decode()
    assert escape(f"{resident.public_name} · Resident ({grid})") in page
    assert escape(f"({organisation})") in page and 'data-filterable="1"' in page

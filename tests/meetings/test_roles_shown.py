"""Officials wear their role beside their name where people speak: chat, comments, attendance."""

from django.test import Client

from consult import services as consult_services
from meetings import services


def test_the_chair_s_chat_message_shows_the_role_and_a_resident_s_does_not(live_meeting, chair, resident):
    services.post_message(chair, meeting_id=live_meeting.pk, body="Welcome")
    services.post_message(resident, meeting_id=live_meeting.pk, body="Thank you")
    client = Client()
    client.force_login(resident)
    html = client.get(live_meeting.get_absolute_url()).content.decode()
    chair_line = html.split(f'data-author="{chair.pk}"')[1].split("</li>")[0]
    resident_line = html.split(f'data-author="{resident.pk}"')[1].split("</li>")[0]
    assert 'class="badge role-badge">Chair<' in chair_line
    assert "role-badge" not in resident_line
    with_chinese = client.get(live_meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "role-badge" in with_chinese.content.decode()


def test_a_committee_member_s_comment_shows_the_role(consultation, chair, resident):
    consult_services.post_comment(chair, consultation_id=consultation.pk, body="The committee will answer")
    consult_services.post_comment(resident, consultation_id=consultation.pk, body="I agree")
    html = Client().get(consultation.get_absolute_url()).content.decode()
    assert html.count("role-badge") == 1 and 'role-badge">Chair<' in html

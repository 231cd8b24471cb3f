"""What the system writes reads in each person's language, whoever clicked; switching language keeps what was
typed; the speaker ends their own turn. On a 390 px phone, in Chinese and in English."""

from datetime import timedelta

from django.utils import timezone, translation
from playwright.sync_api import expect

from community.models import Community, Grid, Membership, Organisation
from issues.models import Category
from meetings import services
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user


def _community():
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing", language="en")
    Membership.objects.create(user=chen, community=community, role="committee")
    mei = make_user("mei@test.org", "Mei", language="zh-hans")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    return community, grid, chen, mei


def test_an_english_chairs_meeting_reads_in_chinese_and_a_language_switch_keeps_the_words(live, open_page):
    base = live["url"]
    community, grid, chen, mei = _community()
    Category.objects.create(community=community, name="Lifts")
    market = Organisation.objects.create(community=community, name="Canal Market Traders")
    with translation.override("en"):  # everything below is clicked by a chair who reads English
        meeting = services.schedule_meeting(
            chen, community_id=community.pk, kind="joint", title="Market noise",
            starts_at=timezone.now() + timedelta(minutes=5), chair_id=chen.pk, secretary_id=chen.pk, place="Hall",
            audience="invited", quorum=1, invite_user_ids=[mei.pk],
        )
        item = services.add_agenda_item(chen, meeting_id=meeting.pk, title="Unloading before 5 am")
        services.open_meeting(chen, meeting_id=meeting.pk)
        services.check_in(mei, meeting_id=meeting.pk)
        services.record_item_outcome(chen, item_id=item.pk, outcome="decided", text="Unloading starts at 6 am.",
                                     tasks=[{"title": "Tell the traders", "owner_organisation_id": market.pk,
                                             "due_date": timezone.localdate() + timedelta(days=7)}])
        services.adjourn_meeting(chen, meeting_id=meeting.pk)

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")  # her account reads Chinese
    phone.goto(base + "/notifications/")
    expect(phone.locator("main")).to_contain_text("您受邀参加：“Market noise”")
    expect(phone.locator("main")).not_to_contain_text("You are invited")

    phone.goto(base + meeting.get_absolute_url())
    record = phone.locator(".minutes-record")
    expect(record).to_contain_text("主持人：Chen Jing")
    expect(record).to_contain_text("出席情况")
    expect(record).to_contain_text("已作决定")
    task = record.locator("li li")  # the task sits under its decision, one decision per line
    expect(task).to_contain_text("任务：Tell the traders —— Canal Market Traders")
    record.screenshot(path="test-artifacts/minutes-record-zh-390.png")

    phone.goto(base + "/issues/new")
    words = "电梯从上周起一直停在三楼，老人上下楼很困难。" * 20
    phone.get_by_label("标题").fill("3号楼电梯停运")
    phone.get_by_label("具体情况").fill(words)
    phone.get_by_role("button", name="English").click()  # midway: the page comes back in English
    expect(phone.get_by_label("Title")).to_have_value("3号楼电梯停运")
    expect(phone.get_by_label("What happened")).to_have_value(words)
    phone.goto(base + meeting.get_absolute_url())
    expect(phone.locator(".minutes-record")).to_contain_text("Chair: Chen Jing")  # her choice, kept


def test_the_speaker_says_she_is_done_and_the_floor_is_free_at_once(live, open_page):
    base = live["url"]
    community, grid, chen, mei = _community()
    mei.language = "en"
    mei.save(update_fields=["language"])
    meeting = services.schedule_meeting(
        chen, community_id=community.pk, kind="joint", title="Market noise",
        starts_at=timezone.now() + timedelta(minutes=5), chair_id=chen.pk, secretary_id=chen.pk, place="Hall",
        audience="invited", quorum=1, invite_user_ids=[mei.pk],
    )
    services.open_meeting(chen, meeting_id=meeting.pk)
    services.check_in(mei, meeting_id=meeting.pk)
    services.raise_hand(mei, meeting_id=meeting.pk)

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + meeting.get_absolute_url())
    expect(phone.get_by_role("button", name="Lower my hand")).to_be_visible()
    desk = open_page(1280)  # the chair, at the hall's laptop, gives her the floor
    sign_in(desk, base, "chen@test.org")
    desk.goto(base + meeting.get_absolute_url())
    desk.get_by_role("button", name="Next speaker").click()
    expect(phone.locator("#speaker-now")).to_contain_text("Mei has the floor")
    done = phone.get_by_role("button", name="I’m done speaking")
    expect(done).to_be_visible()
    done.click()
    expect(phone.locator("#speaker-now")).to_contain_text("Nobody has the floor.")
    expect(phone.get_by_role("button", name="Raise my hand")).to_be_visible()

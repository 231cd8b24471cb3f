"""A resident on a slow phone connection: a long Chinese description, a camera photo of over 8 MB, two taps on
"Raise the issue", then "back" and the button again. One issue, with all her words and her photo, shrunk."""

import io
import os

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from issues.models import Category, Issue, IssuePhoto
from tests.conftest import make_user


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)  # the labels are in Chinese here
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form.form-card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def camera_photo(path) -> int:
    noise = Image.frombytes("RGB", (5000, 3750), os.urandom(5000 * 3750 * 3))
    raw = io.BytesIO()
    noise.save(raw, format="JPEG", quality=95)
    path.write_bytes(raw.getvalue())
    return raw.tell()


def test_two_taps_and_back_on_a_slow_phone_raise_one_issue_with_every_word_and_the_photo(live, open_page, tmp_path):
    base = live["url"]
    community = Community.objects.create(name="柳巷社区", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="柳苑")
    Category.objects.create(community=community, name="电梯")
    Membership.objects.create(user=make_user("mei@test.org", "梅"), community=community, role="resident", grid=grid)
    photo = tmp_path / "IMG_20261203_0815.jpg"
    assert camera_photo(photo) > 8 * 1024 * 1024
    words = ("三号楼二单元的电梯从昨天晚上开始一直停在五楼和六楼之间，" * 60)[:1500]

    phone = open_page(390, locale="zh-CN")
    sign_in(phone, base, "mei@test.org")
    network = phone.context.new_cdp_session(phone)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {  # a busy mobile network: slow, with latency
        "offline": False, "latency": 400, "downloadThroughput": 2_000_000, "uploadThroughput": 3_000_000})  # bytes/s
    phone.goto(base + "/issues/new")
    phone.locator("select[name=category]").select_option(label="电梯")
    phone.locator("input[name=title]").fill("电梯停在五楼和六楼之间")
    phone.locator("textarea[name=body]").fill(words)
    phone.locator("input[name=photos]").set_input_files(str(photo))
    button = phone.locator("form[enctype='multipart/form-data'] button[type=submit]")
    button.dblclick()  # two taps
    expect(phone.locator("h1")).to_have_text("电梯停在五楼和六楼之间", timeout=60_000)
    phone.go_back()  # "back": the form comes back filled in (a new page, a new token); the button again
    phone.wait_for_load_state()
    expect(phone.locator("input[name=title]")).to_have_value("电梯停在五楼和六楼之间")
    phone.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(phone.locator("h1")).to_have_text("电梯停在五楼和六楼之间", timeout=60_000)
    expect(phone.get_by_text("您已经提交过了")).to_be_visible()

    issue = Issue.objects.get()
    assert issue.body == words and len(issue.body) == 1500
    kept = phone.request.get(base + IssuePhoto.objects.get(issue=issue).image.url)  # as the server keeps it
    with Image.open(io.BytesIO(kept.body())) as shrunk:
        assert shrunk.size == (2560, 1920)
    phone.screenshot(path="test-artifacts/slow-phone-issue-390.png", full_page=False)
    assert issue.created_at <= timezone.now()

"""What the platform names (a community, its grids, categories, an organisation's description) is kept in
English and in Chinese, and each reader reads it in their own language, or in the other one when theirs is empty."""

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from community.models import Community, Grid, Organisation
from core.i18n import freeze, thaw
from issues.models import Category
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(community, grid, category):
    Community.objects.filter(pk=community.pk).update(name="Willow Lane Community", name_zh="柳巷社区",
                                                     description="Four grids by the canal.",
                                                     description_zh="运河边的四个网格。")
    Grid.objects.filter(pk=grid.pk).update(name="Willow Court", name_zh="柳苑")
    Category.objects.filter(pk=category.pk).update(name="Lifts", name_zh="电梯")
    return Community.objects.get(pk=community.pk)


def page(path: str, language: str) -> str:
    client = Client(headers={"accept-language": language})
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_community_page_names_the_community_and_its_grids_in_the_readers_language(named):
    english = page(named.get_absolute_url(), "en")
    assert '<h1 id="community-title">Willow Lane Community</h1>' in english
    assert "Four grids by the canal." in english and "Willow Court" in english
    assert "柳巷社区" not in english and "柳苑" not in english

    chinese = page(named.get_absolute_url(), "zh-hans")
    assert '<h1 id="community-title">柳巷社区</h1>' in chinese
    assert "运河边的四个网格。" in chinese and "柳苑" in chinese
    assert "Willow Lane Community" not in chinese and "Willow Court" not in chinese


def test_a_category_is_offered_in_the_readers_language(named, resident, category):
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(resident)
    form = client.get("/issues/new").content.decode()
    assert f'<option value="{category.pk}">电梯</option>' in form
    client.cookies.load({"django_language": "en"})
    assert f'<option value="{category.pk}">Lifts</option>' in client.get("/issues/new").content.decode()


def test_a_text_missing_in_one_language_is_read_in_the_other(community):
    only_chinese = Category.objects.create(community=community, name="", name_zh="停车")
    only_english = Category.objects.create(community=community, name="Noise", name_zh="")
    for language in ["en", "zh-hans", "bo"]:
        with translation.override(language):
            assert str(only_chinese) == "停车"
            assert str(only_english) == "Noise"
    both = Category.objects.create(community=community, name="Greening", name_zh="绿化")
    with translation.override("bo"):  # a Tibetan reader reads Chinese, then English
        assert str(both) == "绿化"
    with translation.override("en"):
        assert str(both) == "Greening"


def test_a_name_needs_at_least_one_language(community):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="in English, in Chinese or in both"):
        Category(community=community, name="", name_zh="").full_clean()
    with pytest.raises(ValidationError, match="in English, in Chinese or in both"):
        Grid(community=community, number=7, name="", name_zh="").full_clean()


def test_two_categories_may_both_lack_an_english_name_but_not_share_a_chinese_one(community):
    from django.db import IntegrityError, transaction

    Category.objects.create(community=community, name="", name_zh="电梯")
    Category.objects.create(community=community, name="", name_zh="噪音")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(community=community, name="Lifts", name_zh="电梯")


def test_a_notification_names_the_grid_in_the_language_of_whoever_reads_it(named, grid):
    grid.refresh_from_db()
    with translation.override("en"):  # written while the writer reads English
        frozen = freeze(translation.gettext_lazy("You are now a verified resident of %(grid)s."), {"grid": grid})
    with translation.override("zh-hans"):
        assert "柳苑" in thaw(frozen) and "Willow Court" not in thaw(frozen)
    with translation.override("en"):
        assert thaw(frozen) == "You are now a verified resident of Grid 1 · Willow Court."


def test_the_api_gives_both_languages_and_names_in_the_callers(named, grid, category):
    english = Client(headers={"accept-language": "en"}).get("/api/v1/grids", {"community": named.slug}).json()
    row = next(g for g in english["items"] if g["id"] == grid.pk)
    assert (row["name"], row["name_en"], row["name_zh"]) == ("Willow Court", "Willow Court", "柳苑")
    chinese = Client(headers={"accept-language": "zh-hans"}).get("/api/v1/categories",
                                                                 {"community": named.slug}).json()
    row = next(c for c in chinese["items"] if c["id"] == category.pk)
    assert (row["name"], row["name_en"], row["name_zh"]) == ("电梯", "Lifts", "电梯")


def test_staff_edit_both_languages_side_by_side_in_the_admin(named, grid, organisation):
    staff = make_user("staff@example.org", "Staff", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    for url, fields in [(f"/admin/community/grid/{grid.pk}/change/", ["name", "description"]),
                        (f"/admin/community/community/{named.pk}/change/", ["name", "description"]),
                        (f"/admin/community/organisation/{organisation.pk}/change/", ["description"]),
                        (f"/admin/issues/category/{Category.objects.get().pk}/change/", ["name"])]:
        html = client.get(url).content.decode()
        for field in fields:  # one row holds the English field and the Chinese one
            assert re.search(rf'class="form-row[^"]* field-{field} field-{field}_zh"', html), (url, field)
    response = client.post(f"/admin/issues/category/{Category.objects.get().pk}/change/",
                           {"community": named.pk, "name": "", "name_zh": "", "position": 0, "active": "on"})
    assert response.status_code == 200 and "in English, in Chinese or in both" in response.content.decode()
    assert Category.objects.get().name_zh == "电梯"


def test_the_migration_moves_a_name_written_in_chinese_to_the_chinese_field(community, grid, organisation):
    Community.objects.filter(pk=community.pk).update(name="柳巷社区", description="About us")
    Grid.objects.filter(pk=grid.pk).update(name="Old Mill", description="老纺织厂宿舍")
    Organisation.objects.filter(pk=organisation.pk).update(description="物业服务")
    migration = importlib.import_module("community.migrations.0004_bilingual_names")
    migration.move_chinese(apps, None)
    community.refresh_from_db()
    grid.refresh_from_db()
    organisation.refresh_from_db()
    assert (community.name, community.name_zh, community.description) == ("", "柳巷社区", "About us")
    assert (grid.name, grid.description, grid.description_zh) == ("Old Mill", "", "老纺织厂宿舍")
    assert (organisation.description, organisation.description_zh) == ("", "物业服务")


@pytest.mark.parametrize(("language", "empty_choice"), [("en", "Choose…"), ("zh-hans", "请选择…"), ("bo", "འདེམས་རོགས།")])
def test_a_selects_empty_choice_reads_in_the_readers_language(community, chair, language, empty_choice):
    client = Client(headers={"accept-language": language})
    client.force_login(chair)
    form = client.get("/meetings/new").content.decode()
    assert f'<option value="" selected>{empty_choice}</option>' in form
    assert "Select an option" not in form

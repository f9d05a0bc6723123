"""`manage.py import_ghost`: Ghost 3, 4 and 5 exports read into the site, checked on the pages
a reader is served (pages/ghost/, docs/editors.md "Moving from Ghost")."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry

from conftest import translate
from pages.ghost.importer import Importer
from pages.ghost.models import GhostImportRecord
from pages.models import NewsPage, PublicationPage, StandardPage
from pages.people.models import Person
from pages.tests import ghost_exports as ge
from pages.tests.hostile import HOSTILE_HTML, WORDS_OF_HOSTILE_HTML, unfollowable_in_html


def spanish_news(tree):
    translate(tree.home, slug="inicio", title="Inicio")
    translate(tree.news, slug="noticias", title="Noticias")


def run(path, *args, stdout=None):
    out = stdout or StringIO()
    call_command("import_ghost", str(path), *args, stdout=out)
    return out.getvalue()


def every_table():
    """Every row of every table, as the database holds it: the same before and after means
    nothing was written."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def main(html):
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def imported(site_tree, tmp_path):
    """The site with Spanish news, and a function importing an export of a version into it."""
    spanish_news(site_tree)
    images = ge.image_folder(tmp_path)

    def _import(version, *args):
        path = ge.write(tmp_path / f"ghost-{version}.json", ge.build(version))
        return path, run(path, "--images", str(images), "--as-publication", "report", *args)

    return _import


@pytest.mark.django_db
@pytest.mark.parametrize("version", [3, 4, 5])
def test_each_ghost_version_is_served_with_its_dates_authors_tags_body_and_images(
    client, imported, version
):
    _path, output = imported(version)
    assert "6 created, 0 updated" in output

    html = main(client.get("/news/open-funding/").content.decode())
    assert "<h1>Open funding</h1>" in html
    assert '<time datetime="2024-03-05">5 March 2024</time>' in html
    if version == 3:  # one author per post, as `author_id`
        assert 'By <a href="/people/ada/">Ada Lovelace</a>\n</p>' in html
    else:
        assert (
            'By <a href="/people/ada/">Ada Lovelace</a> and <a href="/people/grace/">Grace' in html
        )
    # Ghost's "Funding" joins the site's own "funding" tag; internal tags (#es) are not shown.
    assert '<a href="/news/?tag=funding">funding</a>' in html
    assert '<a href="/news/?tag=open-science">Open science</a>' in html
    assert "#es" not in html
    assert '<p class="lead">Funding for open infrastructure.</p>' in html
    # The feature image as the hero, with its alt text (Ghost 5 keeps it in posts_meta).
    assert re.search(r'<div class="hero-image">\s*<img alt="A hall full of people"', html)
    # The body, block by block.
    assert "<p>Funding for <b>open</b> infrastructure, " in html
    assert '<a href="https://example.org/fund">the fund</a> and <i>more</i>.' in html
    assert "<h2>What changes</h2>" in html
    assert "<ul><li>First point</li><li>Second point</li></ul>" in html
    assert re.search(r'<img alt="People at a workshop"[^>]*src="/media/images/workshop', html)
    assert "<figcaption>Our spring workshop</figcaption>" in html
    assert (
        "<blockquote><p>Infrastructure is only as strong as its funding.</p></blockquote>" in html
    )
    assert "<figcaption>The launch video</figcaption>" in html
    assert '<th scope="col">Year</th><th scope="col">Grants</th>' in html
    assert "<tr><td>2023</td><td>12</td></tr>" in html
    assert 'print("hello")<br/>print("again")' in html
    assert "Aside words" in html
    # A missing image is a link, and the old site's own addresses become paths here.
    assert '<a href="/content/images/2024/03/gone.png">A lost chart</a>' in html
    assert '<a href="/about-ioi/">about us</a>' in html
    assert "gone.png is not in the folder: kept as a link" in output
    assert get_image_model().objects.filter(title__in=["People at a workshop"]).count() == 1

    # The news index lists it; the publication and the page are where they belong.
    assert 'href="/news/open-funding/"' in client.get("/news/").content.decode()
    publication = client.get("/research/state-of-oi/").content.decode()
    assert "State of open infrastructure" in publication
    assert "What we found this year." in publication
    about = client.get("/about-ioi/")
    assert about.status_code == 200
    assert "Who we are." in about.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("version", [3, 5])
def test_the_spanish_version_is_a_translation_of_the_english_post(client, imported, version):
    imported(version)
    spanish = NewsPage.objects.get(locale__language_code="es", slug="open-funding")
    english = NewsPage.objects.get(locale__language_code="en", slug="open-funding")
    assert spanish.translation_key == english.translation_key
    response = client.get("/es/noticias/open-funding/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Financiación abierta</h1>" in html
    assert "Financiación para la infraestructura abierta." in html
    assert 'hreflang="en" href="http://localhost/news/open-funding/"' in html
    english_html = client.get("/news/open-funding/").content.decode()
    assert 'hreflang="es" href="http://localhost/es/noticias/open-funding/"' in english_html


@pytest.mark.django_db
def test_every_old_address_redirects_to_its_new_one(client, imported):
    imported(4)
    expected = {
        "/open-funding/": "/news/open-funding/",
        "/blog/open-funding/": "/news/open-funding/",
        "/open-funding-es/": "/es/noticias/open-funding/",
        "/blog/open-funding-es/": "/es/noticias/open-funding/",
        "/state-of-oi/": "/research/state-of-oi/",
        "/tag/funding/": "/news/?tag=funding",
        "/tag/open-science/": "/news/?tag=open-science",
        "/author/ada/": "/people/ada/",
        "/author/grace/": "/people/grace/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(new).status_code == 200, new
    # Drafts had no public address to keep; the page kept its own address.
    assert client.get("/a-draft/").status_code == 404
    assert not Redirect.objects.filter(old_path="/about-ioi").exists()


@pytest.mark.django_db
def test_drafts_scheduled_and_members_only_posts_are_drafts_and_say_so(client, site_tree, tmp_path):
    posts = ge.site_posts(5)
    posts.append(
        ge.post_row(
            5,
            "p7",
            "coming-soon",
            "Coming soon",
            ge.simple_body(5, "Soon."),
            status="scheduled",
            published_at="2099-01-01T00:00:00Z",
        )
    )
    posts.append(
        ge.post_row(5, "p8", "for-paid", "For paid", ge.simple_body(5, "Paid."), visibility="paid")
    )
    path = ge.write(tmp_path / "e.json", ge.build(5, posts))
    output = run(path)
    for slug, why in [
        ("a-draft", "a draft in Ghost"),
        ("for-members", "for members only in Ghost"),
        ("coming-soon", "scheduled in Ghost"),
        ("for-paid", "for paid only in Ghost"),
    ]:
        page = NewsPage.objects.get(slug=slug)
        assert not page.live and page.has_unpublished_changes, slug
        assert client.get(f"/news/{slug}/").status_code == 404, slug
        assert re.search(rf"create +news post '{slug}'\n +- {why}: imported as a draft", output)
    # The Spanish post has no Spanish news index to go under here: skipped, and why.
    assert "skip      news post (Spanish) 'open-funding-es': no Spanish version" in output


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_a_dry_run_writes_nothing(imported, tmp_path):
    before = every_table()
    path, output = imported(5, "--dry-run")
    assert output.startswith("Dry run: nothing was written.")
    assert "6 would be created, 0 would be updated" in output
    assert "create    news post 'open-funding'" in output
    assert every_table() == before
    assert not list((tmp_path / "media").glob("**/*")) if (tmp_path / "media").exists() else True

    would = output.strip().splitlines()[-1]
    assert would == (
        "6 would be created, 0 would be updated, 0 unchanged, 0 conflicts, 0 skipped; "
        "10 redirects would be made, 2 images would be added, 2 people would be added."
    )

    _path, output = imported(5)
    # The real run does what the dry run said it would.
    assert output.strip().splitlines()[-1] == would.replace("would be ", "")
    after_first = every_table()
    _path, output = imported(5)
    assert "0 created, 0 updated, 6 unchanged, 0 conflicts, 0 skipped; 0 redirects made" in output
    assert every_table() == after_first


@pytest.mark.django_db
def test_a_newer_export_updates_what_changed_and_keeps_what_editors_changed(
    client, site_tree, tmp_path
):
    path = ge.write(tmp_path / "e.json", ge.build(4))
    run(path)
    edited = NewsPage.objects.get(slug="state-of-oi")
    edited.title = "Edited here"
    edited.save_revision().publish()

    newer = ge.build(4)
    rows = {row["slug"]: row for row in newer["db"][0]["data"]["posts"]}
    rows["open-funding"]["title"] = "Open funding, updated"
    rows["state-of-oi"]["title"] = "Changed in Ghost too"
    rows["a-draft"]["status"] = "published"
    rows["a-draft"]["published_at"] = "2024-04-01T00:00:00Z"
    output = run(ge.write(tmp_path / "newer.json", newer))

    assert "update    news post 'open-funding': changed in Ghost since the last import" in output
    assert "conflict  news post 'state-of-oi': an editor changed the page since" in output
    assert "2 updated" in output and "1 conflicts" in output
    assert "<h1>Open funding, updated</h1>" in client.get("/news/open-funding/").content.decode()
    assert "<h1>Edited here</h1>" in client.get("/news/state-of-oi/").content.decode()
    assert client.get("/news/a-draft/").status_code == 200
    assert client.get("/blog/a-draft/")["Location"] == "/news/a-draft/"
    assert NewsPage.objects.filter(slug="open-funding", locale__language_code="en").count() == 1


BAD = [
    ("not json", b"{not json", "not JSON"),
    ("not ghost", b'{"posts": []}', "The file: no 'db' list: not a Ghost export."),
    ("no data", b'{"db": [{"meta": {"version": "5.1.0"}}]}', "db[0]: no 'data'"),
    (
        "old version",
        b'{"db": [{"meta": {"version": "2.38.0"}, "data": {"posts": []}}]}',
        "db[0].meta.version: Ghost 2.38.0 is not a version this importer reads (3, 4, 5, 6).",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_a_file_that_is_not_a_ghost_export_is_refused_and_nothing_written(
    site_tree, tmp_path, name, content, message
):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    before = every_table()
    with pytest.raises(CommandError, match=re.escape(message)):
        run(path)
    assert every_table() == before


@pytest.mark.django_db
def test_a_post_with_no_slug_is_named_by_its_place_and_nothing_is_imported(site_tree, tmp_path):
    export = ge.build(5)
    export["db"][0]["data"]["posts"][3]["slug"] = ""
    export["db"][0]["data"]["posts"][1]["title"] = None
    export["db"][0]["data"]["posts_tags"].append({"post_id": "p1", "tag_id": "t9"})
    path = ge.write(tmp_path / "e.json", export)
    before = every_table()
    with pytest.raises(CommandError) as refused:
        run(path)
    message = str(refused.value)
    assert "- db[0].data.posts[3]: no slug." in message
    assert "- db[0].data.posts[1]: no title." in message
    assert "- db[0].data.posts_tags[6]: no tag 't9'." in message
    assert every_table() == before


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(site_tree, tmp_path, settings):
    path = ge.write(tmp_path / "e.json", ge.build(5))
    settings.GHOST_IMPORT_MAX_BYTES = path.stat().st_size - 1
    with pytest.raises(CommandError, match="bytes is over the limit of"):
        run(path)
    assert not GhostImportRecord.objects.exists()
    settings.GHOST_IMPORT_MAX_BYTES = path.stat().st_size
    run(path)
    assert GhostImportRecord.objects.count() == 5  # the Spanish post has nowhere to go


@pytest.mark.django_db
def test_a_failure_half_way_changes_nothing_and_leaves_no_image_files(
    imported, tmp_path, monkeypatch, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    before = every_table()
    written = []
    real_write = Importer.write

    def fails_on_the_third(self, item):
        written.append(item.post.slug)
        if len(written) == 3:
            raise RuntimeError("the disk is full")
        real_write(self, item)

    monkeypatch.setattr(Importer, "write", fails_on_the_third)
    with pytest.raises(RuntimeError, match="the disk is full"):
        imported(5)
    assert len(written) == 3
    assert every_table() == before
    assert [p for p in (tmp_path / "media").glob("**/*") if p.is_file()] == []


@pytest.mark.django_db
def test_hostile_content_comes_out_clean_and_oversized_images_stay_links(
    client, site_tree, tmp_path, settings
):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    folder = tmp_path / "images" / "2024" / "03"
    folder.mkdir(parents=True)
    (folder / "huge.png").write_bytes(ge.png((600, 600), (1, 2, 3)) + b"\0" * 2000)
    hostile = (
        HOSTILE_HTML
        + '<p><a href="javascript:alert(1)" onclick="alert(2)">click</a></p>'
        + '<figure><img src="__GHOST_URL__/content/images/2024/03/huge.png" alt="Huge" '
        'onerror="alert(3)"></figure>'
        + '<iframe src="javascript:alert(4)"></iframe><script>alert(5)</script>'
        + '<h2 onmouseover="alert(6)">Heading <script>alert(7)</script></h2>'
        + '<blockquote onclick="alert(8)">Quoted <img src=x onerror=alert(9)></blockquote>'
    )
    posts = [
        ge.post_row(
            4,
            "h1",
            "hostile",
            "Hostile <script>alert(0)</script>",
            {"html": hostile},
            custom_excerpt='<img src=x onerror="alert(1)">',
        )
    ]
    path = ge.write(tmp_path / "e.json", ge.build(4, posts, ([], [("h1", "u1")])))
    output = run(path, "--images", str(tmp_path / "images"))
    assert re.search(r"huge.png is [\d,]+ bytes, over 1,000: kept as a link", output)
    html = client.get("/news/hostile/").content.decode()
    assert unfollowable_in_html(html) == []
    # The title and excerpt are plain text: shown escaped, as typed. No tag holds a script.
    assert "&lt;script&gt;alert(0)&lt;/script&gt;</h1>" in html
    assert not re.search(r"<[^>]*alert\(", main(html))
    assert "<script>alert" not in html
    for words in WORDS_OF_HOSTILE_HTML + ["click", "Heading", "Quoted"]:
        assert words in html
    assert '<a href="/content/images/2024/03/huge.png">Huge</a>' in html
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_pages_go_under_the_parent_given_and_an_unknown_parent_is_refused(site_tree, tmp_path):
    path = ge.write(tmp_path / "e.json", ge.build(5))
    with pytest.raises(CommandError, match="--parent /no-such/: no page there."):
        run(path, "--parent", "/no-such/")
    with pytest.raises(CommandError, match="'News' cannot hold pages"):
        run(path, "--parent", str(site_tree.news.pk))
    run(path, "--parent", "/about/")
    page = StandardPage.objects.get(slug="about-ioi")
    assert page.get_parent().pk == site_tree.about.pk
    assert not PublicationPage.objects.filter(slug="state-of-oi").exists()  # no --as-publication
    assert Person.objects.filter(slug__in=["ada", "grace"]).count() == 2


class Terminal(StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_the_progress_bar_is_drawn_on_a_terminal_only(site_tree, tmp_path):
    path = ge.write(tmp_path / "e.json", ge.build(5))
    assert "\r[" not in run(path, "--dry-run", stdout=Terminal())
    assert "\r[" not in run(path)
    GhostImportRecord.objects.all().delete()
    Page.objects.filter(
        slug__in=["open-funding", "a-draft", "for-members", "state-of-oi", "about-ioi"]
    ).delete()
    drawn = run(path, stdout=Terminal())
    assert "\r[##############################] 5/5\n" in drawn


@pytest.mark.slow
@pytest.mark.django_db
def test_the_news_index_stays_within_its_budget_after_importing_200_posts(
    client, site_tree, tmp_path, django_assert_max_num_queries, settings
):
    from pages.caching.shared import forget

    from .test_query_budget import MAX_UNCACHED

    path = ge.write(tmp_path / "many.json", ge.many_posts(200))
    assert "200 created" in run(path)
    settings.SHARED_PARTS_CACHE = True  # as in production (test_query_budget.py)
    forget()
    client.get("/")
    for url in ("/news/", "/news/?tag=funding&page=2", "/news/many-7/"):
        with django_assert_max_num_queries(MAX_UNCACHED, info=url):
            assert client.get(url).status_code == 200
    forget()


@pytest.mark.django_db
def test_imported_posts_are_found_by_search_and_have_the_history_a_publish_leaves(client, imported):
    imported(5)
    found = client.get("/search/?q=spring workshop").content.decode()
    assert 'href="/news/open-funding/"' in found
    post = NewsPage.objects.get(slug="open-funding", locale__language_code="en")
    assert (post.live, post.has_unpublished_changes) == (True, False)
    assert post.live_revision_id == post.latest_revision_id
    assert post.first_published_at.isoformat() == "2024-03-05T10:00:00+00:00"
    history = PageLogEntry.objects.filter(page=post).order_by("pk")
    assert [entry.action for entry in history] == ["wagtail.create", "wagtail.publish"]
    draft = NewsPage.objects.get(slug="a-draft")
    assert [e.action for e in PageLogEntry.objects.filter(page=draft)] == ["wagtail.create"]


@pytest.mark.django_db
def test_a_spanish_post_by_its_es_tag_and_one_whose_address_is_taken_are_reported(
    client, imported, tmp_path
):
    posts = ge.site_posts(5)
    posts.append(
        ge.post_row(5, "p9", "noticia-propia", "Noticia propia", ge.simple_body(5, "Sólo aquí."))
    )
    posts.append(
        ge.post_row(5, "p10", "about", "Old about", ge.simple_body(5, "Old."), type="page")
    )
    tags, authors = ge.site_links()
    export = ge.build(5, posts, (tags + [("p9", "t3")], authors))
    output = run(ge.write(tmp_path / "e.json", export))
    assert "create    news post (Spanish) 'noticia-propia'\n" in output
    assert "- no English post with its slug: imported on its own" in output
    assert "skip      page 'about': a page 'About' has the address 'about' here already" in output
    assert client.get("/es/noticias/noticia-propia/").status_code == 200
    assert "Our history." in client.get("/about/").content.decode()

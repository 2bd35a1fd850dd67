import pytest

from common.markdown import is_own_media, render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        "Hello <b onclick='x()'>there</b>",
    ],
)
def test_raw_html_is_shown_as_text(source):
    html = render_markdown(source)
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert "<svg" not in html
    assert "<style" not in html
    assert "<b" not in html
    assert "&lt;" in html  # the tag shows as text, escaped


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_links_lose_their_href(target):
    html = render_markdown(f"[click me]({target})")
    assert "click me" in html
    assert "href" not in html


@pytest.mark.parametrize(
    "target", ["https://example.org/a", "http://example.org/", "mailto:hi@example.org"]
)
def test_safe_links_keep_their_href_and_get_nofollow(target):
    html = render_markdown(f"[ok]({target})")
    assert f'href="{target}"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_images_only_from_our_own_media():
    assert '<img alt="ours" src="/media/stories/a.png">' in render_markdown(
        "![ours](/media/stories/a.png)"
    )
    for alt, src in [
        ("theirs", "https://evil.example/track.png"),
        ("proto", "//evil.example/track.png"),
        ("data", "data:image/png;base64,AAAA"),
        ("up", "/media/../secret.png"),
        ("other", "/static/css/site.css"),
    ]:
        html = render_markdown(f"![{alt}]({src})")
        assert "<img" not in html, src
        assert html == f"<p>{alt}</p>"  # the alt text remains, as text


def test_headings_stay_below_the_page_h1():
    html = render_markdown("# Big\n\n## Smaller\n\n###### Smallest")
    assert "<h1" not in html
    assert "<h2>Big</h2>" in html
    assert "<h2>Smaller</h2>" in html
    assert "<h6>Smallest</h6>" in html


def test_within_a_section_headings_stay_below_its_h2():
    html = render_markdown("# Big\n\n## Smaller\n\n### Smallest\n\n#### Least", top=3)
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h3>Smaller</h3>" in html
    assert "<h3>Smallest</h3>" in html and "<h4>Least</h4>" in html


def test_markdown_features_still_work():
    html = render_markdown("**bold** _em_\n\n- one\n- two\n\n> quote\n\n`code`")
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html
    assert "<code>code</code>" in html


def test_attribute_injection_through_alt_text_is_escaped():
    html = render_markdown('![a" onerror="alert(1)](/media/a.png)')
    assert 'onerror="' not in html


def test_empty_and_none_render_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_is_own_media():
    assert is_own_media("/media/stories/x.jpg")
    assert not is_own_media("https://example.org/media/x.jpg")
    assert not is_own_media("/media/..\\x")
    assert not is_own_media("/static/x.png")

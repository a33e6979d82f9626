"""Issue 12 §1 leftovers on the generic path: the lead before the first <p>, embeds and their captions out,
"Baca juga" cards near the body taken as related. Variant pages written here (no real page is copied)."""

from __future__ import annotations

import pytest

from scraper.generic import extract_generic
from scraper.model import Article

URL = "https://contoh.example/berita/2024/11/14/program-baru"
P = ("Pemerintah kota menyatakan bahwa program baru ini akan dimulai pada pekan depan dan melibatkan "
     "banyak warga dari berbagai kecamatan yang ada di wilayah tersebut untuk ikut serta.")
LEAD = ("JAKARTA, Warta Contoh - Wali kota mengumumkan program baru untuk warga yang akan dimulai pekan depan "
        "di seluruh kecamatan.")


def _page(body: str) -> str:
    return f"""<html lang="id"><head><title>Program baru kota dimulai pekan depan - Warta Contoh</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Warta Contoh">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Program baru kota dimulai pekan depan",
"datePublished":"2024-11-14T08:30:00+07:00"}}</script></head>
<body><nav><a href="/">Beranda</a></nav><article><h1>Program baru kota dimulai pekan depan</h1>
<div class="detail-content">{body}</div></article><footer>Hak cipta</footer></body></html>"""


def _extract(body: str) -> Article:
    return extract_generic(URL, _page(body))


def _paras(n: int) -> list[str]:
    return [f"<p>{P} Bagian {i}.</p>" for i in range(1, n + 1)]


@pytest.mark.parametrize("lead", [
    f"{LEAD}<br><br>",
    f"{LEAD}",
    f"<strong>JAKARTA</strong> - {LEAD.split(' - ', 1)[1]}<br>",
    f"\n  {LEAD}\u00a0<br/>\n",
])
def test_lead_text_before_the_first_paragraph_is_kept(lead: str) -> None:
    article = _extract(lead + "\n".join(_paras(3)))
    assert "Wali kota mengumumkan program baru" in article.paragraphs[0]
    assert len(article.paragraphs) == 4


EMBEDS = {
    "tweet": ('<blockquote class="twitter-tweet"><p lang="id" dir="ltr">Ini cuitan warga tentang program baru '
              'yang ramai dibicarakan di media sosial hari ini</p>&mdash; Warga Kota (@wargakota) '
              '<a href="https://twitter.com/wargakota/status/1">November 14, 2024</a></blockquote>'),
    "instagram": ('<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/abc/">'
                  '<div><p><a href="https://www.instagram.com/p/abc/">Sebuah kiriman dibagikan oleh Pemkot Kota '
                  'Contoh (@pemkot) pada 14 Nov 2024 pukul 10.00 PST</a></p></div></blockquote>'),
    "tiktok": ('<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@u/video/1"><section>'
               '<a href="https://www.tiktok.com/@u">@u</a> Tarian warga menyambut program baru di alun-alun kota '
               'bersama keluarga #fyp</section></blockquote>'),
    "youtube-figure": ('<figure class="video"><iframe src="https://www.youtube.com/embed/xyz"></iframe>'
                       '<figcaption>Wali kota memberikan sambutan dalam peluncuran program baru di balai kota '
                       'pada Kamis pagi</figcaption></figure>'),
    "youtube-div": ('<div class="embed-responsive"><iframe src="https://www.youtube.com/embed/xyz"></iframe></div>'
                    '<p class="caption">Cuplikan peluncuran program baru di balai kota yang dihadiri ratusan '
                    'warga</p>'),
    "tweet-wrapped": ('<div class="embed-twitter"><blockquote class="twitter-tweet" data-lang="id"><p>Program baru '
                      'ini sangat bagus untuk warga kota dan kami mendukung sepenuhnya sejak awal</p>&mdash; Tokoh '
                      '(@tokoh) <a href="https://twitter.com/tokoh/status/2">14 November 2024</a></blockquote>'
                      '<script async src="https://platform.twitter.com/widgets.js"></script></div>'),
}


@pytest.mark.parametrize("kind", sorted(EMBEDS))
def test_embeds_and_their_captions_are_not_body(kind: str) -> None:
    paras = _paras(4)
    article = _extract("\n".join(paras[:2] + [EMBEDS[kind]] + paras[2:]))
    body = article.body
    for needle in ("cuitan", "kiriman dibagikan", "Tarian warga", "sambutan dalam peluncuran", "Cuplikan",
                   "sangat bagus", "@", "#fyp"):
        assert needle not in body, (kind, needle)
    assert len(article.paragraphs) == 4


@pytest.mark.parametrize("label", ["BACA JUGA", "Baca Juga", "Baca juga:", "BACA JUGA :"])
@pytest.mark.parametrize("holder", ["span", "strong", "div", "h4"])
def test_baca_juga_cards_next_to_the_body_are_related(label: str, holder: str) -> None:
    cards = (f'<div class="baca-juga-box"><{holder}>{label}</{holder}><ul>'
             '<li><a href="/a/1"><img src="/i/1.jpg">Wali kota resmikan taman baru di pusat kota</a></li>'
             '<li><a href="/a/2">Warga antusias sambut program kebersihan</a></li></ul></div>')
    paras = _paras(4)
    article = _extract("\n".join(paras[:2] + [cards] + paras[2:]))
    assert [r.url for r in article.related] == ["https://contoh.example/a/1", "https://contoh.example/a/2"]
    assert "Wali kota resmikan" not in article.body and "BACA JUGA" not in article.body.upper()
    assert len(article.paragraphs) == 4


def test_a_related_box_after_the_article_titled_berita_terkait_is_still_not_related() -> None:
    box = ('<aside><h3>Berita Terkait</h3><ul><li><a href="/b/1">Kabar lain dari balai kota hari ini</a></li>'
           '</ul></aside>')
    article = extract_generic(URL, _page("\n".join(_paras(3))).replace("</article>", "</article>" + box))
    assert article.related == []

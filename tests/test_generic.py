"""The generic path (scraper.generic): a page of a site without a profile.

The page below is written for these tests: an Indonesian article on an unknown host, with the
"Baca juga"-type lines and lists the issue names ("Baca juga", "Simak juga", "Berita terkait", a
differently spelled "BACA JUGA :"), credit lines and an "Artikel ini telah tayang" trailer, reader
comments, a sidebar and a template that declares lang="en".
"""

from __future__ import annotations

import re

import pytest

from scraper.extract import extract_article
from scraper.generic import clean_lines, extract_generic, is_indonesian
from scraper.model import SKIP_REASONS, NotAnArticle, Related

URL = "https://www.beritadaerah.example/regional/read/2024/11/14/103000/banjir-rendam-tiga-desa-di-kabupaten-bogor"
BASE = "https://www.beritadaerah.example"

BODY = [
    "BOGOR, BERITADAERAH - Banjir merendam tiga desa di Kecamatan Cibinong, Kabupaten Bogor, Jawa Barat, "
    "sejak Kamis (14/11/2024) pagi setelah hujan deras mengguyur kawasan itu selama lebih dari enam jam.",
    "Kepala Pelaksana Badan Penanggulangan Bencana Daerah (BPBD) Kabupaten Bogor mengatakan ketinggian air "
    "di permukiman warga mencapai 80 sentimeter di titik terendah.",
    "Menurut dia, sebanyak 312 kepala keluarga terdampak dan sebagian di antaranya memilih mengungsi ke "
    "rumah kerabat yang berada di daerah lebih tinggi.",
    "Petugas gabungan dari BPBD, TNI, dan Polri sudah mendirikan dapur umum di halaman kantor desa untuk "
    "memenuhi kebutuhan makan warga yang rumahnya terendam.",
    "Selain itu, petugas juga menyiagakan dua perahu karet untuk mengevakuasi warga lanjut usia dan anak-anak "
    "yang masih bertahan di lantai dua rumah mereka.",
    "Warga berharap pemerintah daerah segera memperbaiki saluran drainase yang tersumbat sampah sehingga air "
    "tidak lagi meluap setiap kali hujan deras turun.",
    "Pemerintah kabupaten menyatakan perbaikan saluran akan dimulai pekan depan dengan anggaran darurat yang "
    "sudah disetujui dewan pada rapat bulan lalu.",
    "Hingga Kamis sore, air mulai surut di dua desa, sedangkan satu desa lainnya masih tergenang dan petugas "
    "terus memantau kondisi tanggul di sepanjang sungai.",
]

RELATED = [
    (f"{BASE}/regional/read/2024/11/13/090000/hujan-deras-guyur-bogor", "Hujan Deras Guyur Bogor Sejak Pagi"),
    (f"{BASE}/regional/read/2024/11/12/150000/tanggul-jebol", "Tanggul Sungai Cikeas Jebol, Warga Diminta Waspada"),
    (f"{BASE}/nasional/read/2024/11/10/080000/bmkg-musim-hujan", "BMKG: Puncak Musim Hujan Terjadi Januari"),
    (f"{BASE}/regional/read/2024/11/09/120000/posko-pengungsian", "Posko Pengungsian Dibuka di Balai Desa"),
    (f"{BASE}/regional/read/2024/11/08/100000/saluran-drainase", "Saluran Drainase Tersumbat Sampah Plastik"),
]

TRAILERS = [
    "Artikel ini telah tayang di BeritaDaerah.example dengan judul",
    "Penulis: Dewi Lestari",
    "Editor: Agus Pratama",
    "(Sumber: Antara)",
    "Simak breaking news dan berita pilihan kami langsung di ponselmu",
]

COMMENT = "Semoga cepat surut, kasihan warga yang rumahnya kebanjiran setiap tahun, tolong pemerintah bertindak"

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Banjir Rendam Tiga Desa di Kabupaten Bogor - BeritaDaerah</title>
<meta property="og:title" content="Banjir Rendam Tiga Desa di Kabupaten Bogor">
<meta property="og:description" content="Banjir merendam tiga desa di Kecamatan Cibinong sejak Kamis pagi.">
<meta property="og:image" content="{BASE}/img/banjir.jpg">
<link rel="canonical" href="{URL}?utm_source=twitter">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "Banjir Rendam Tiga Desa di Kabupaten Bogor",
  "datePublished": "2024-11-14T10:30:00+07:00", "dateModified": "2024-11-14T12:00:00+07:00",
  "author": {{"@type": "Person", "name": "Dewi Lestari"}}, "articleSection": "Regional",
  "keywords": "banjir, bogor, bpbd"}}
</script>
</head>
<body>
<header><nav><a href="/">Beranda</a> <a href="/regional">Regional</a> <a href="/nasional">Nasional</a></nav></header>
<div class="container">
  <article class="post">
    <h1 class="post-title">Banjir Rendam Tiga Desa di Kabupaten Bogor</h1>
    <div class="post-meta">Kamis, 14 November 2024 10:30 WIB</div>
    <div class="post-body">
      <p>{BODY[0]}</p>
      <p>{BODY[1]}</p>
      <p><strong>Baca juga: <a href="{RELATED[0][0]}">{RELATED[0][1]}</a></strong></p>
      <p>{BODY[2]}</p>
      <p>{BODY[3]}</p>
      <p>Simak juga: <a href="{RELATED[1][0].replace(BASE, "")}">{RELATED[1][1]}</a></p>
      <p>{BODY[4]}</p>
      <p>BACA JUGA :<a href="{RELATED[2][0]}">{RELATED[2][1]}</a></p>
      <p>{BODY[5]}</p>
      <p>{BODY[6]}</p>
      <p><b>Berita terkait</b></p>
      <ul>
        <li><a href="{RELATED[3][0]}">{RELATED[3][1]}</a></li>
        <li><a href="{RELATED[4][0]}">{RELATED[4][1]}</a></li>
      </ul>
      <p>{BODY[7]}</p>
      <p>{TRAILERS[0]} "Banjir Rendam Tiga Desa di Kabupaten Bogor". Klik untuk baca: {URL}</p>
      <p>{TRAILERS[1]}</p>
      <p>{TRAILERS[2]}</p>
      <p>{TRAILERS[3]}</p>
      <p><i>{TRAILERS[4]}. Pilih saluran andalanmu: WhatsApp Channel : https://www.whatsapp.com/channel/123</i></p>
    </div>
    <div class="tags"><a href="/tag/banjir">banjir</a> <a href="/tag/bogor">bogor</a></div>
  </article>
  <section id="comments" class="comments">
    <h3>Komentar</h3>
    <div class="comment"><p>{COMMENT}</p></div>
    <div class="comment"><p>Sudah tiga kali tahun ini banjir di desa kami dan belum ada perbaikan saluran sama sekali.</p></div>
  </section>
  <aside class="sidebar">
    <h3>Terpopuler</h3>
    <ol><li><a href="/a">Harga Beras Naik Lagi di Pasar Induk</a></li><li><a href="/b">Timnas Menang Tipis</a></li></ol>
  </aside>
</div>
<footer><p>Copyright 2024 BeritaDaerah. All rights reserved.</p></footer>
</body>
</html>
"""

LABEL = re.compile(r"baca juga|simak juga|berita terkait", re.I)


@pytest.fixture(scope="module")
def article():
    return extract_generic(URL, PAGE)


def test_body_is_the_article_text_in_order(article) -> None:
    assert article.paragraphs == BODY


def test_related_lines_and_lists_are_lifted_out_into_related(article) -> None:
    assert [(r.url, r.title) for r in article.related] == RELATED
    for paragraph in article.paragraphs:
        assert not LABEL.search(paragraph), paragraph
        assert not any(title in paragraph for _, title in RELATED), paragraph


def test_credit_lines_trailers_comments_and_chrome_are_not_body(article) -> None:
    body = article.body
    for text in TRAILERS + [COMMENT, "Terpopuler", "Harga Beras Naik", "Copyright", "Beranda", "WhatsApp"]:
        assert text not in body


def test_metadata_from_json_ld_and_meta(article) -> None:
    assert article.title == "Banjir Rendam Tiga Desa di Kabupaten Bogor"
    assert article.published == "2024-11-14T10:30:00+07:00"
    assert article.modified == "2024-11-14T12:00:00+07:00"
    assert article.authors == ["Dewi Lestari"]
    assert article.section == "Regional"
    assert article.tags == ["banjir", "bogor", "bpbd"]
    assert article.canonical_url == URL  # tracking parameter dropped
    assert article.site == "beritadaerah.example"
    assert article.parser == "generic/trafilatura"


def test_language_is_read_from_the_text_not_the_template(article) -> None:
    # the template says lang="en"; every word is Indonesian
    assert article.language == "id"


def test_extract_article_takes_the_generic_path_for_an_unknown_host() -> None:
    result = extract_article(URL, PAGE.encode("utf-8"))
    assert result.parser == "generic/trafilatura"
    assert result.paragraphs == BODY


def test_a_page_without_prose_is_skipped_with_a_reason() -> None:
    links = "".join(f'<li><a href="/read/{i}">Judul berita nomor {i}</a></li>' for i in range(30))
    index = f"<html><head><title>Indeks Berita</title></head><body><ul>{links}</ul></body></html>"
    with pytest.raises(NotAnArticle) as err:
        extract_generic(f"{BASE}/indeks", index)
    assert err.value.reason in SKIP_REASONS
    assert err.value.reason == "no_body"


def test_a_page_without_a_title_is_skipped() -> None:
    with pytest.raises(NotAnArticle) as err:
        extract_generic(f"{BASE}/x", "<html><body><p>" + " ".join(BODY) + "</p></body></html>")
    assert err.value.reason == "no_title"


def test_capital_lines_are_dropped_only_from_indonesian_text() -> None:
    # a reporter's name trailer in capitals is not prose on an Indonesian page...
    assert clean_lines(BODY[:2] + ["DEWI LESTARI"], [], indonesian=True) == BODY[:2]
    # ...but English pages write sub-headings in capitals
    english = ["The storm reached the coast on Thursday.", "WHAT HAPPENS NEXT", "Officials will meet on Friday."]
    assert clean_lines(english, [], indonesian=False) == english
    assert is_indonesian(BODY) and not is_indonesian(english * 5)


def test_date_only_and_number_only_lines_are_not_body() -> None:
    lines = [BODY[0], "Kamis, 05/11/2015 09:25 WIB", "Selasa 16 Jun 2015, 14:05 WIB", "01", "02", BODY[1]]
    assert clean_lines(lines, []) == [BODY[0], BODY[1]]
    # a sentence that mentions a date stays
    assert clean_lines(["Rapat digelar Kamis, 05/11/2015 pukul 09.25 WIB di balai kota."], []) != []


def test_photo_credit_captions_are_dropped_but_initials_trailers_stay() -> None:
    lines = [
        BODY[0],
        "Petugas memeriksa pompa air di Bogor, Kamis (14/11/2024). (KOMPAS.com/DIMAS ARYA PRANATA)",
        "Alat terapi temuan mahasiswa UGM. (Bagus Kurniawan/detikcom)",
        "Warga diminta tetap waspada hingga akhir pekan. (fyk/ash)",
    ]
    assert clean_lines(lines, []) == [BODY[0], lines[3]]


def test_a_loose_label_line_is_related_only_when_its_rest_is_a_related_title() -> None:
    related = [Related(url=RELATED[0][0], title=RELATED[0][1])]
    lines = [BODY[0], f"Baca juga {RELATED[0][1]}", "Baca juga pendapat para ahli di bawah ini tentang banjir."]
    assert clean_lines(lines, related) == [BODY[0], lines[2]]


"""Shared boilerplate cleaning and "Baca juga" lifting on small HTML fragments (scraper.cleaning)."""

from __future__ import annotations

import lxml.html
import pytest

from scraper.cleaning import DEFAULT_RULES, CleanRules, clean_body, find_dateline, prune_lxml
from scraper.model import Related
from scraper.text import soup_fragment

A = "https://www.kompas.com/read/2024/11/13/1/a"
B = "https://www.kompas.com/read/2024/11/13/2/b"


def clean(html: str, rules: CleanRules = DEFAULT_RULES):
    return clean_body(soup_fragment(f"<div>{html}</div>").div, rules)


@pytest.mark.parametrize(
    "line",
    [
        f'<p><strong>Baca juga: <a href="{A}" class="inner-link-baca-juga">Judul A</a></strong></p>',
        f'<p><strong>Baca juga:</strong> <a href="{A}">Judul A</a></p>',  # link outside strong
        f'<p>Baca juga: <a href="{A}">Judul A</a></p>',  # no strong at all
        f'<p><strong>Baca Juga :</strong>&nbsp;<a href="{A}">Judul A</a></p>',
        f'<p><b>BACA JUGA:</b> <a href="{A}">Judul A</a></p>',
        f'<p>baca\u00a0juga <a href="{A}">Judul A</a></p>',
        f'<p>Baca juga - <a href="{A}">Judul A</a></p>',
        f'<p>\u2022 Baca juga: <a href="{A}">Judul A</a></p>',
        f'<p><em>Baca juga: <a href="{A}">Judul A</a></em></p>',
        f'<p>Simak juga: <a href="{A}">Judul A</a></p>',
        f'<p>Lihat juga: <a href="{A}">Judul A</a></p>',
        f'<p>Jangan lewatkan: <a href="{A}">Judul A</a></p>',
        f'<p>Berita terkait: <a href="{A}">Judul A</a></p>',
        f'<p><strong>Also read:</strong> <a href="{A}">Judul A</a></p>',
        f'<p>BACA JUGA: <a href="{A}">\u200bJudul\u00a0A </a></p>',
        f'<div><span>Baca juga: </span><a href="{A}">Judul A</a></div>',  # loose text, no <p>
        f'<p><a href="{A}"><strong>Baca juga: Judul A</strong></a></p>',  # the label inside the link
        f'<div class="b1-group"><p>BACA JUGA</p><h2><a href="{A}">Judul A</a></h2></div>',  # label + heading link
    ],
)
def test_baca_juga_variants_lifted(line: str) -> None:
    out = clean(f"<p>Satu.</p>{line}<p>Dua.</p>")
    assert out.paragraphs == ["Satu.", "Dua."]
    assert out.related == [Related(A, "Judul A")]


def test_related_in_document_order_across_forms() -> None:
    html = f"""
      <p>Satu.</p>
      <div class="inject-baca-juga-2"><div>Baca juga</div>
        <ul><li><a href="{A}">Judul A</a></li></ul></div>
      <p>Dua.</p>
      <p><strong>Baca juga: <a class="inner-link-baca-juga" href="{B}">Judul B</a></strong></p>
      <p>Tiga.</p>"""
    out = clean(html)
    assert out.paragraphs == ["Satu.", "Dua.", "Tiga."]
    assert [r.url for r in out.related] == [A, B]


def test_old_box_header_then_list() -> None:
    html = f"""<p>Satu.</p><p><strong>Baca Juga</strong></p>
      <ul><li><a href="{A}">Judul A</a></li><li><a href="{B}">Judul B</a></li></ul><p>Dua.</p>"""
    out = clean(html)
    assert out.paragraphs == ["Satu.", "Dua."]
    assert [r.title for r in out.related] == ["Judul A", "Judul B"]


def test_old_baca_juga_box_with_a_widget_class_is_lifted() -> None:
    box = f'<div class="kcm-read-terkait"><h4><span>Baca Juga</span></h4><ul><li><a href="{A}">Judul A</a></li></ul></div>'
    out = clean(f"<p>Satu.</p>{box}<p>Dua.</p>")
    assert out.paragraphs == ["Satu.", "Dua."]
    assert out.related == [Related(A, "Judul A")]
    # through the lxml pruning too (the Kompas hand-off path)
    import lxml.html

    from scraper.cleaning import prune_lxml

    root = prune_lxml(lxml.html.fragment_fromstring(f"<div><p>Satu.</p>{box}<p>Dua.</p></div>"))
    assert clean_body(soup_fragment(lxml.html.tostring(root, encoding="unicode")).div).related == [Related(A, "Judul A")]


def test_berita_terkait_box_is_not_related() -> None:
    box = f'<div class="articleRelated"><h3>Berita Terkait</h3><a href="{A}">Judul A</a></div>'
    out = clean(f"<p>Satu.</p>{box}")
    assert out.paragraphs == ["Satu."] and out.related == []


def test_br_separated_links_after_label() -> None:
    # merdeka 2015: <p><strong>Baca juga:</strong><br><a>..</a><br><a>..</a></p>
    out = clean(f'<p>Satu.</p><p><strong>Baca juga:</strong><br><a href="{A}">Judul A</a><br><a href="{B}">Judul B</a></p>')
    assert out.paragraphs == ["Satu."]
    assert [r.url for r in out.related] == [A, B]


def test_inline_baca_juga_link_mid_paragraph() -> None:
    out = clean(f'<p>Kalimat satu. <strong>Baca juga: <a class="inner-link-baca-juga" href="{A}">Judul A</a></strong> Kalimat dua.</p>')
    assert out.paragraphs == ["Kalimat satu. Kalimat dua."]
    assert out.related == [Related(A, "Judul A")]


def test_inline_baca_juga_label_inside_a_longer_strong() -> None:
    out = clean(f'<p><strong>Kalimat satu. Baca juga: <a class="inner-link-baca-juga" href="{A}">Judul A</a></strong> Dua.</p>')
    assert out.paragraphs == ["Kalimat satu. Dua."]
    assert out.related == [Related(A, "Judul A")]


def test_prose_starting_like_a_label_is_kept() -> None:
    # "Simak juga" without a separator or a link is a sentence, not a related line.
    out = clean("<p>Simak juga bagaimana warga menyiapkan diri menghadapi banjir.</p>")
    assert out.paragraphs == ["Simak juga bagaimana warga menyiapkan diri menghadapi banjir."]


@pytest.mark.parametrize(
    "line",
    [
        "<p><i>Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita "
        'Kompas.com WhatsApp Channel : <a href="https://www.whatsapp.com/channel/x">https://www.whatsapp.com/channel/x</a>.</i></p>',
        '<p><em>Artikel ini pernah tayang di Kompas.com dengan judul "X".</em></p>',
        "<p>Artikel ini telah tayang di Tribunnews.com dengan judul X</p>",
        "<p>(Sumber: Kompas.com/Dian Permatasari | Editor: Ahmad Fauzan)</p>",
        "<p>Sumber: Antara</p>",
        '<p><strong>Gabung KOMPAS.com Plus sekarang</strong> dan nikmati. <a href="#">Langganan di sini</a></p>',
        "<p>Terangi negeri dengan literasi, satu buku bisa membuka jendela dunia.</p>",
        "<p>Penulis: Nadia</p>",
        "<p>Editor : Hendra</p>",
        "<p>Pewarta: Budi</p>",
        "<p>Copyright 2008 - 2024 PT. Kompas Cyber Media</p>",
        "<p>ADVERTISEMENT</p>",
        "<p>SCROLL TO CONTINUE WITH CONTENT</p>",
        "<p>Lihat Foto</p>",
        "<p>(fyk/ash)</p>",
        "<p>Tim Redaksi</p>",
    ],
)
def test_boilerplate_lines_dropped(line: str) -> None:
    assert clean(f"<p>Isi berita.</p>{line}").paragraphs == ["Isi berita."]


def test_initials_ending_a_sentence_are_kept() -> None:
    assert clean("<p>Isi berita terakhir. (fyk/ash)</p>").paragraphs == ["Isi berita terakhir. (fyk/ash)"]


@pytest.mark.parametrize(
    "widget",
    [
        '<div class="ads-on-body"><p>Iklan</p></div>',
        '<div class="ads-partner-wrap mgidaiml"><p>Iklan</p></div>',
        '<div class="kompasidRec"><h3>Artikel Kompas.id</h3></div>',
        '<div class="kompasidRec__wrap-v2"><p>Artikel Kompas.id</p></div>',
        '<div class="articleRelated"><h3>Berita Terkait</h3></div>',
        '<div class="kgnw-middle"><p>Video</p></div>',
        '<div class="kgplus-inread"><p>Baca berita tanpa iklan. Gabung</p></div>',
        '<div id="div-gpt-ad-123"><p>Iklan</p></div>',
        '<table class="linksisip"><tr><td>Iklan</td></tr></table>',
        "<figure><img src='x.jpg'><figcaption>Iklan</figcaption></figure>",
        "<script>var Iklan = 1;</script><style>.x{}</style>",
        '<blockquote class="twitter-tweet"><p>Iklan tweet</p></blockquote>',
        '<blockquote class="instagram-media"><p>Iklan</p></blockquote>',
    ],
)
def test_widgets_dropped(widget: str) -> None:
    out = clean(f"<p>Isi.</p>{widget}<p>Lagi.</p>")
    assert out.paragraphs == ["Isi.", "Lagi."]
    assert all("Iklan" not in p for p in out.paragraphs)


def test_token_matching_is_not_substring_greedy() -> None:
    # "heads"/"uploads"/"threads" contain "ads" but are not ad slots.
    html = '<div class="heads"><p>Satu.</p></div><div class="uploads"><p>Dua.</p></div>'
    assert clean(html).paragraphs == ["Satu.", "Dua."]


def test_caption_after_image_dropped() -> None:
    html = """<p>Satu.</p><p><img src="x.jpg"></p>
      <p><em>Petugas memeriksa pompa air. (KOMPAS.com/DIMAS)</em></p><p>Dua.</p>"""
    assert clean(html).paragraphs == ["Satu.", "Dua."]


def test_italic_paragraph_without_image_is_kept() -> None:
    assert clean("<p>Satu.</p><p><em>Catatan redaksi penting.</em></p>").paragraphs == ["Satu.", "Catatan redaksi penting."]


def test_br_splits_paragraphs_and_loose_text() -> None:
    html = "Baris satu<br>Baris <b>dua</b><br><br>Baris tiga<p>Empat<br/>Lima</p>"
    assert clean(html).paragraphs == ["Baris satu", "Baris dua", "Baris tiga", "Empat", "Lima"]


def test_text_nodes_concatenated_without_separator() -> None:
    html = '<p>Menteri Luar Negeri Ukraina, <a href="/t">Andrii Sybiga</a>, dan\u00a0<b>AS</b>.</p>'
    assert clean(html).paragraphs == ["Menteri Luar Negeri Ukraina, Andrii Sybiga, dan AS."]


def test_headings_and_list_items_are_paragraphs() -> None:
    html = "<h2>Sub judul</h2><p>Isi.</p><ul><li>Satu</li><li>Dua</li></ul><ol><li><p>Tiga</p></li></ol>"
    assert clean(html).paragraphs == ["Sub judul", "Isi.", "Satu", "Dua", "Tiga"]


def test_end_marker_stops_the_body() -> None:
    rules = CleanRules(end_markers=("EndOfArticle",))
    out = clean('<p>Isi.</p><div id="EndOfArticle"></div><p>Ekor yang bukan isi.</p>', rules)
    assert out.paragraphs == ["Isi."]


def test_site_rules_extend_the_defaults() -> None:
    rules = DEFAULT_RULES.extend(drop_tokens=(r"^promo-box$",), boilerplate_lines=(r"^dapatkan voucher",),
                                 related_labels=(r"baca\s+lainnya",))
    html = f'<div class="promo-box"><p>X</p></div><p>Dapatkan voucher 50%</p><p>Baca lainnya: <a href="{A}">Judul A</a></p><p>Isi.</p>'
    out = clean(html, rules)
    assert out.paragraphs == ["Isi."]
    assert out.related == [Related(A, "Judul A")]
    # the defaults are not changed by extending
    assert clean('<p>Dapatkan voucher 50%</p>').paragraphs == ["Dapatkan voucher 50%"]


def test_drop_selectors() -> None:
    rules = CleanRules(drop_selectors=("p.lead-credit",))
    assert clean('<p class="lead-credit">Foto: X</p><p>Isi.</p>', rules).paragraphs == ["Isi."]


def test_relative_related_urls_resolved_with_base() -> None:
    frag = soup_fragment('<div><p>Baca juga: <a href="/read/1/a">Judul</a></p></div>').div
    out = clean_body(frag, base_url="https://www.kompas.com/read/2/b")
    assert out.related == [Related("https://www.kompas.com/read/1/a", "Judul")]


def test_duplicate_related_links_kept_once() -> None:
    out = clean(f'<p>Baca juga: <a href="{A}">Judul A</a></p><p>Isi.</p><p>Baca juga: <a href="{A}">Judul A</a></p>')
    assert out.related == [Related(A, "Judul A")]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("KYIV, KOMPAS.com - Ukraina kini", "KYIV"),
        ("BOGOR, KOMPAS.com – Pemerintah", "BOGOR"),
        ("LHOKSEUMAWE, KOMPAS.com – Penyidik", "LHOKSEUMAWE"),
        ("LOS ANGELES, KOMPAS.com - Pendiri", "LOS ANGELES"),
        ("KOMPAS.com - Hujan meteor", None),
        ("Jakarta, KompasOtomotif – Tahun depan", None),  # not upper case: not a dateline by the rule
        ("Selain pompa, BPBD menyiapkan", None),
    ],
)
def test_find_dateline(text: str, place: str | None) -> None:
    assert find_dateline(text) == place


@pytest.mark.parametrize(
    ("first", "merged"),
    [
        ("<p><strong>JAKARTA, KOMPAS.com</strong> -</p>", "JAKARTA, KOMPAS.com - Isi berita."),
        ("<div class='dateline'>BOGOR (ANTARA) -</div>", "BOGOR (ANTARA) - Isi berita."),
        ("<p>Jakarta -</p>", "Jakarta - Isi berita."),
    ],
)
def test_dateline_in_its_own_element_is_merged(first: str, merged: str) -> None:
    assert clean(f"{first}<p>Isi berita.</p><p>Dua.</p>").paragraphs == [merged, "Dua."]


def test_upper_case_heading_is_not_a_dateline() -> None:
    assert clean("<h2>KESIMPULAN</h2><p>Isi.</p>").paragraphs == ["KESIMPULAN", "Isi."]


def test_paragraph_after_image_ending_in_an_acronym_is_kept() -> None:
    html = "<p><img src='x.jpg'></p><p>Petugas dikerahkan, kata Kepala Pelaksana BPBD (BPBD).</p>"
    assert clean(html).paragraphs == ["Petugas dikerahkan, kata Kepala Pelaksana BPBD (BPBD)."]


@pytest.mark.parametrize("caption", ["Warga mengungsi. (AFP/STR)", "Warga mengungsi. (Dok. Humas Pemkot)",
                                     "Warga mengungsi. (KOMPAS.com/DIMAS ARYA PRANATA)"])
def test_plain_caption_with_credit_after_image_dropped(caption: str) -> None:
    assert clean(f"<p>Satu.</p><p><img src='x.jpg'></p><p>{caption}</p><p>Dua.</p>").paragraphs == ["Satu.", "Dua."]


# --- moved into the core from the site kits -------------------------------------------------------

@pytest.mark.parametrize(
    "hidden",
    [
        '<div style="display:none"><p>Memuat artikel berikutnya dan seterusnya tanpa henti...</p></div>',
        '<div style="visibility: hidden;">Memuat artikel berikutnya dan seterusnya tanpa henti...</div>',
        '<p hidden>Memuat artikel berikutnya dan seterusnya tanpa henti...</p>',
        '<span style="DISPLAY : NONE">Memuat artikel berikutnya dan seterusnya tanpa henti...</span>',
    ],
)
def test_hidden_elements_are_not_body(hidden: str) -> None:
    out = clean(f"<p>Satu.</p>{hidden}<p>Dua.</p>")
    assert out.paragraphs == ["Satu.", "Dua."]
    # The same in the lxml pre-pass the site kit runs before BeautifulSoup.
    root = lxml.html.fragment_fromstring(f"<div><p>Satu.</p>{hidden}<p>Dua.</p></div>")
    assert "Memuat" not in lxml.html.tostring(prune_lxml(root), encoding="unicode")


@pytest.mark.parametrize("cls", ["box-x1 bg-primary-50", "", "read__also"])
def test_label_box_is_related_whatever_its_class(cls: str) -> None:
    # merdeka 2023: a utility-class div with a loose "Baca Juga" label and a list of links.
    box = f'<div class="{cls}"><span>Baca Juga</span><ul><li><a href="{A}">Judul A</a></li><li><a href="{B}">Judul B</a></li></ul></div>'
    out = clean(f"<p>Satu.</p>{box}<p>Dua.</p>")
    assert out.paragraphs == ["Satu.", "Dua."]
    assert out.related == [Related(A, "Judul A"), Related(B, "Judul B")]


def test_site_label_box_is_related_only_with_the_site_rules() -> None:
    box = f'<div><b>Pilihan Editor</b><ul><li><a href="{A}">Judul A</a></li></ul></div>'
    rules = DEFAULT_RULES.extend(related_labels=(r"pilihan\s+editor",))
    assert clean(f"<p>Satu.</p>{box}", rules).related == [Related(A, "Judul A")]


@pytest.mark.parametrize(
    "dateline",
    ["ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --", "Jakarta (ANTARA) -", "JAKARTA, KOMPAS.com -"],
)
def test_dateline_alone_is_merged_into_the_first_paragraph(dateline: str) -> None:
    out = clean(f"<p>{dateline}</p><p>Kalimat pertama berita.</p><p>Dua.</p>")
    assert out.paragraphs == [f"{dateline} Kalimat pertama berita.", "Dua."]


def test_link_with_a_trailing_break_stays_on_its_label_line() -> None:
    # SINDOnews: <a>Judul<br></a> must not split the link from its "Baca Juga" label.
    out = clean(f'<div>Satu kalimat.<br><br><strong>Baca Juga:</strong> <a href="{A}">Judul A<br></a> <br>Dua kalimat.</div>')
    assert out.paragraphs == ["Satu kalimat.", "Dua kalimat."]
    assert out.related == [Related(A, "Judul A")]

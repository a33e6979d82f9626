"""Boilerplate as families (issue 12 item 2): each family is recognised by its shape (verbs, objects,
channels), so variants nobody listed are caught, and ordinary sentences using the same words are not."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from scraper.cleaning import DEFAULT_RULES, clean_body

NBSP = "\u00a0"

FAMILIES = {
    "video promo": [
        "Tonton juga video: Banjir Rendam Jakarta", "SAKSIKAN JUGA VIDEO PILIHAN INI:", "Simak Video Berikut Ini",
        f"Tonton{NBSP}Video:{NBSP}Detik-detik Gempa", "Lihat juga Video 'Jokowi Resmikan Tol' di sini",
        "Saksikan live streaming pertandingan di Vidio", "Watch the video: flood in Jakarta",
    ],
    "app download": [
        "Download aplikasi Kompas.com di Google Play dan App Store", "Unduh juga aplikasi detikcom di Play Store",
        "Yuk, download sekarang aplikasi Liputan6 di App Store!", "Install aplikasi Okezone lewat Google Play",
        "Dapatkan aplikasi Warta gratis di Play Store & App Store.",
    ],
    "channel call": [
        "Ikuti kami di Google News", "Gabung ke Channel WhatsApp Tribunnews untuk update terbaru",
        "Follow saluran WhatsApp Suara.com", "Simak berita terbaru lainnya di Telegram @wartacom",
        "Dapatkan update berita pilihan setiap hari di Google News dan WhatsApp Channel",
        "Join our Telegram channel for breaking news", f"Baca{NBSP}berita lain di Google{NBSP}News",
    ],
    "contest": [
        "Ikuti lomba menulis komentar dan menangkan hadiah jutaan rupiah!",
        "Tulis komentarmu dengan tagar #BanggaIndonesia, menangkan voucher", "Yuk ikut kuis #WartaBerhadiah",
        "Ikuti giveaway #TechWeek dan dapatkan smartphone",
    ],
    "trailer": [
        "Artikel ini telah tayang di Kompas.com dengan judul \"Banjir\"", "--- Artikel ini sudah tayang di Tribunnews.com",
        "Berita ini juga dimuat di Serambinews.com", "---------", "Tulisan ini pertama kali terbit di Tempo.co",
        "____", "* * *",
    ],
    "page counter": ["Halaman 2 dari 3", "halaman 2/3", "Hal. 1 dari 4", "Page 2 of 5", "(Halaman 3 dari 3)",
                     "Halaman selanjutnya", "Halaman: 1 2 3 Selanjutnya"],
    "continue reading": ["Lanjut baca di halaman berikutnya", "Lanjutkan membaca", "Baca selengkapnya di sini",
                         "Klik untuk membaca selengkapnya", "Scroll ke bawah untuk melanjutkan membaca",
                         "Continue reading", "Baca artikel selengkapnya »"],
    "photo widget": ["Perbesar Presiden Joko Widodo saat meresmikan tol. (Liputan6.com/Angga)",
                     "Lihat Foto", "Klik untuk memperbesar foto", "perbesar"],
    "tag list": ["Tags: Banjir, Jakarta, BMKG", "Tag : banjir jakarta", "Topik: Pemilu 2024", "#Banjir #Jakarta #BMKG",
                 "Kata kunci: banjir, hujan", "TAGAR: #Pemilu2024"],
}
BODY_SENTENCES = [
    # same words, ordinary prose: kept
    "Video yang beredar di media sosial memperlihatkan warga mengevakuasi korban banjir.",
    "Aplikasi itu diunduh lebih dari satu juta kali di Google Play sejak diluncurkan pada Maret.",
    "Polisi mengimbau warga tidak menyebarkan pesan berantai lewat WhatsApp dan Telegram.",
    "Ia menulis tagar #SaveKPK di akun Twitter pribadinya sebagai bentuk protes, kata dia.",
    "Halaman 2 laporan itu memuat daftar nama pejabat yang diperiksa KPK pekan lalu.",
    "Lomba lari itu diikuti 5.000 peserta dari 12 negara dan berhadiah total Rp 1 miliar.",
]


@pytest.mark.parametrize(("family", "line"), [(f, x) for f, lines in FAMILIES.items() for x in lines])
def test_family_line_is_boilerplate(family: str, line: str) -> None:
    assert DEFAULT_RULES.is_boilerplate(" ".join(line.split())), family


@pytest.mark.parametrize("line", BODY_SENTENCES)
def test_prose_with_the_same_words_is_kept(line: str) -> None:
    assert not DEFAULT_RULES.is_boilerplate(line)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Download aplikasi <a href='https://play.google.com/store/apps/details?id=x'>Warta</a> sekarang</p>",
        "<p><a href='https://apps.apple.com/id/app/x'>Unduh aplikasinya di App Store</a></p>",
        "<p><strong>Ikuti</strong> <a href='https://news.google.com/publications/x'>Warta di Google News</a></p>",
        "<p><a href='https://whatsapp.com/channel/x'>Gabung saluran WhatsApp kami</a></p>",
        "<p>Tonton juga video: <a href='/video/1'>Banjir di Bogor</a></p>",
        "<p>Halaman 2 dari 3</p>",
        f"<p>-----{NBSP}Artikel ini telah tayang di <a href='https://x.com'>X.com</a></p>",
        "<div><button>Perbesar</button> Foto: warga di lokasi banjir (Warta/Andi)</div>",
    ],
)
def test_link_placement_does_not_matter(markup: str) -> None:
    body = BeautifulSoup(f"<div><p>Paragraf pertama berita ini cukup panjang untuk dibaca.</p>{markup}</div>",
                         "html.parser").div
    assert clean_body(body).paragraphs == ["Paragraf pertama berita ini cukup panjang untuk dibaca."]

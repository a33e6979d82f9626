"""Realistic Indonesian test articles for the archive, export and Datasette tests.

Built through ``scraper.model.Article`` so the records are exactly what the parser hands on.
"""

from __future__ import annotations

import random
from typing import Any

from scraper.model import Article, Related

SECTIONS = ("nasional", "megapolitan", "regional", "money", "tekno", "bola", "internasional")
SITES = ("kompas", "detik", "tribunnews")
# Real Indonesian news words. Bodies are drawn from them at random so that no two synthetic
# articles are near-duplicates (archive.stories groups reprints; only tests that mean to make a
# duplicate make one). Words the search tests look for (bangun*, posko, kafe...) are left out.
_WORDS = """
pemerintah pusat daerah menteri keuangan anggaran belanja negara realisasi rencana warga sekitar
sungai diminta waspada kenaikan muka air setelah hujan deras kepolisian menetapkan tersangka kasus
penipuan daring badan meteorologi klimatologi geofisika memperkirakan cuaca ekstrem berlangsung
sepekan jalan tol ditargetkan sebelum musim mudik lebaran tahun depan cabai rawit pasar tradisional
naik hingga lipat dibandingkan pekan lalu tim nasional menang tipis laga kualifikasi digelar gubernur
dinas terkait mempercepat penyaluran sosial keluarga penerima manfaat sejumlah pengamat menilai
kebijakan tersebut perlu dievaluasi agar membebani pelaku usaha kecil komisi pemberantasan korupsi
memeriksa lima saksi dugaan suap proyek pengadaan barang perusahaan rintisan pusat data pelanggan
kawasan timur indonesia presiden wakil rakyat dewan perwakilan sidang paripurna undang rancangan
pasal revisi fraksi partai koalisi oposisi pemilihan umum kampanye calon kepala desa kabupaten kota
provinsi bupati wali camat lurah pendidikan guru murid universitas mahasiswa beasiswa kesehatan rumah
sakit dokter pasien vaksin obat puskesmas petani panen beras pupuk irigasi nelayan laut ikan pelabuhan
kapal pesawat bandara penerbangan kereta stasiun penumpang tiket harga bahan bakar minyak listrik
tarif inflasi bank sentral suku bunga rupiah dolar saham bursa investor ekspor impor neraca
perdagangan industri pabrik buruh upah minimum pekerja pengangguran teknologi aplikasi internet
jaringan seluler digital keamanan siber serangan peretas bencana gempa banjir longsor erupsi gunung
pengungsi relawan evakuasi korban luka meninggal hilang pencarian polisi tentara pengadilan hakim jaksa
vonis penjara banding pembangunan infrastruktur jembatan bendung irigasi perumahan subsidi bantuan
olahraga sepak bola pemain pelatih gol pertandingan juara liga turnamen atlet medali emas perak
""".split()
_WORDS = [w for w in _WORDS if w not in {"bendung", "bantuan"}]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def body_paragraphs(rng: random.Random, paragraphs: int = 4, sentences: int = 4) -> list[str]:
    """Paragraphs of Indonesian news words (about 45 words each), different for every seed."""
    return [" ".join(_sentence(rng) for _ in range(sentences)) for _ in range(paragraphs)]


def make_article(n: int, *, site: str | None = None, seed: int | None = None, **overrides: Any) -> dict[str, Any]:
    """The ``Article.to_dict()`` of synthetic article number ``n`` (unique URL and body)."""
    rng = random.Random(seed if seed is not None else n)
    site = site or SITES[n % len(SITES)]
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    section = SECTIONS[n % len(SECTIONS)]
    canonical = f"https://www.{site}.com/{section}/read/2024/{month:02d}/{day:02d}/{100000 + n}/berita-nomor-{n}"
    paragraphs = body_paragraphs(rng)
    # A unique sentence so no two synthetic bodies are equal (same-body dedupe is tested on purpose).
    paragraphs.append(f"Laporan nomor {n} ini ditulis oleh tim redaksi {site.title()}.")
    article = Article(
        url=canonical,
        canonical_url=canonical,
        site=site,
        title=f"Berita {n}: {_sentence(rng)[:60].rstrip()}",
        paragraphs=paragraphs,
        description=paragraphs[0][:150],
        authors=[f"Penulis {n % 7}"],
        editors=[f"Editor {n % 3}"],
        published=f"2024-{month:02d}-{day:02d}T{n % 24:02d}:{n % 60:02d}:00+07:00",
        modified=None,
        section=section,
        tags=["berita", section],
        dateline="JAKARTA, KOMPAS.com" if site == "kompas" else None,
        lead_image=f"https://asset.{site}.com/img/{n}.jpg",
        language="id",
        related=[Related(url=f"https://www.{site}.com/read/2024/01/01/{900000 + n % 5}/terkait", title=f"Terkait {n % 5}")],
        parser=f"{site}/test",
    )
    d = article.to_dict()
    d.update(overrides)
    if "paragraphs" in overrides and "body" not in overrides:
        d["body"] = "\n\n".join(overrides["paragraphs"])
    return d

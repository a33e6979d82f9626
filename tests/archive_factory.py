"""Realistic Indonesian test articles for the archive, export and Datasette tests.

Built through ``scraper.model.Article`` so the records are exactly what the parser hands on.
"""

from __future__ import annotations

import random
from typing import Any

from scraper.model import Article, Related

SECTIONS = ("nasional", "megapolitan", "regional", "money", "tekno", "bola", "internasional")
SITES = ("kompas", "detik", "tribunnews")
_SENTENCES = (
    "Pemerintah pusat menyiapkan anggaran tambahan untuk pembangunan infrastruktur di daerah tertinggal.",
    "Menteri Keuangan mengatakan realisasi belanja negara hingga akhir bulan ini masih sesuai rencana.",
    "Warga di sekitar Kali Ciliwung diminta waspada terhadap kenaikan muka air setelah hujan deras.",
    "Kepolisian Daerah Metro Jaya menetapkan tiga orang tersangka dalam kasus penipuan daring tersebut.",
    "Badan Meteorologi, Klimatologi, dan Geofisika memperkirakan cuaca ekstrem masih berlangsung sepekan.",
    "Pembangunan jalan tol trans-Sumatera ditargetkan rampung sebelum musim mudik Lebaran tahun depan.",
    "Harga cabai rawit di pasar tradisional naik hingga dua kali lipat dibandingkan pekan lalu.",
    "Tim nasional Indonesia menang tipis atas Vietnam dalam laga kualifikasi yang digelar di Jakarta.",
    "Gubernur meminta dinas terkait mempercepat penyaluran bantuan sosial kepada keluarga penerima manfaat.",
    "Sejumlah pengamat menilai kebijakan tersebut perlu dievaluasi agar tidak membebani pelaku usaha kecil.",
    "Komisi Pemberantasan Korupsi memeriksa lima saksi terkait dugaan suap proyek pengadaan barang.",
    "Perusahaan rintisan itu membangun pusat data baru untuk melayani pelanggan di kawasan timur Indonesia.",
)


def body_paragraphs(rng: random.Random, paragraphs: int = 4, sentences: int = 4) -> list[str]:
    """Paragraphs of Indonesian news sentences (about 50 words each)."""
    return [" ".join(rng.choice(_SENTENCES) for _ in range(sentences)) for _ in range(paragraphs)]


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
        title=f"Berita {n}: {rng.choice(_SENTENCES)[:60].rstrip()}",
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

"""Indonesian news boilerplate cleaning on a bs4 fragment of the article body.

One mechanism for every site: walk the body in document order, turn each block (``p``, ``h2``,
``li``, loose text split at ``<br>``) into a paragraph, and

* lift "Baca juga"-type lines, boxes and injected blocks out of the body into ``related``
  (recognised by a tolerant regex on the normalised text prefix, and by class-name fast paths);
* drop widgets/ads by class or id token, captions, image-only blocks and boilerplate lines
  (WhatsApp channel, "Artikel ini pernah tayang ...", credits, copyright, donation calls...).

A site adds its own selectors and line patterns through :class:`CleanRules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

from bs4 import NavigableString, Tag

from scraper.model import Related
from scraper.text import INVISIBLE_TAGS, block_text, normalize_ws, split_on_br

# "Baca juga"-type labels. Matched on the normalised text, case-insensitive; a leading bullet or
# dash and any separator (":", "-", "|", "»", NBSP already collapsed) are allowed after the label.
RELATED_LABELS = (
    r"baca\s*juga", r"baca\s*pula", r"bacajuga", r"baca\s+selengkapnya", r"simak\s+juga", r"simak\s+pula",
    r"lihat\s+juga", r"tonton\s+juga", r"jangan\s+lewatkan", r"berita\s+terkait", r"artikel\s+terkait",
    r"also\s+read", r"read\s+also", r"read\s+more", r"baca\s+artikel\s+terkait", r"klik\s+juga",
)
_LEAD = r"^[\s\W_]{0,3}"
_SEP = r"\s*(?:[:：\-–—|»>•·]+\s*|$)"
_LOOSE_SEP = r"(?:\s*[:：\-–—|»>•·]+\s*|\s+|$)"

#: Lines dropped wherever they stand in the body (matched on normalised text, case-insensitive).
BOILERPLATE_LINES = (
    r"^simak breaking news", r"whatsapp channel\s*:", r"^pastikan kamu sudah install",
    r"^(?:dapatkan|ikuti) (?:update|informasi|berita|kabar)\b.*\b(?:whatsapp|telegram|google news|channel)",
    r"^(?:artikel|berita|tulisan) ini (?:telah|pernah|sudah) (?:tayang|terbit|dimuat|diterbitkan)",
    r"^\(?\s*sumber\s*:", r"^gabung kompas\.?com\s*(?:\+|plus)", r"^baca berita tanpa iklan",
    r"^terangi negeri dengan literasi", r"^salurkan donasi", r"^dalam segala situasi",
    r"^download (?:sekarang|aplikasi)", r"^unduh aplikasi",
    r"^(?:penulis|editor|penyunting|pewarta|reporter|kontributor|fotografer|videografer|redaktur|penerjemah)\s*:",
    r"^tim redaksi$", r"^copyright\b", r"^©", r"^hak cipta", r"^all rights reserved",
    r"^advertisement$", r"^advertisement\s*scroll to continue", r"^scroll to continue with content$",
    r"^lihat foto$", r"^topik pilihan\b", r"^ikuti perkembangan berita ini", r"^\[?\s*gambas\s*:",
    r"^(?:tonton|saksikan) (?:juga )?video\b", r"^video (?:pilihan|terkait)\s*:?$",
    r"^(?:klik|kunjungi) (?:di )?(?:sini|link)\b", r"^dengarkan (?:artikel|berita)\b",
    # An author-initials trailer on its own line: "(fyk/ash)", "(ant)".
    r"^\(\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})*\s*\)$",
)


# --- boilerplate families (issue 12): recognised by their shape, built from their parts --------------
# Each family is a verb (an invitation to act), an object (video, app, channel...) and, where it helps,
# a place (a store, a platform). Lines are tested whole and short only (``FAMILY_MAX_CHARS``): a body
# sentence that mentions WhatsApp or an app is longer and does not start with an invitation.

_DASHES = r"[-–—_=*•·~\s]*"  # a rule of dashes (or stars) that often stands before a trailer
_PLEASE = r"(?:yuk|ayo|mari|jangan lupa|silakan)?[\s,!]*"
_ALSO = r"(?:\s+(?:juga|pula|yuk|lagi|sekarang|segera|gratis))*"
_VIDEO_VERBS = r"(?:tonton|saksikan|simak|lihat|cek|watch|nonton)"
_VIDEO_OBJECTS = r"(?:video|vidio|live\s*streaming|siaran\s+langsung|tayangan|the\s+video)"
_APP_VERBS = r"(?:download|unduh|install|instal|pasang|dapatkan|get)"
_APP_OBJECTS = r"(?:aplikasi|aplikasinya|app|apps)"
_STORES = r"(?:google\s*play|play\s*store|app\s*store|appgallery|apps\.apple\.com)"
_CHANNEL_VERBS = (r"(?:ikuti|follow|gabung|bergabung|join|subscribe|langganan|berlangganan|dapatkan|simak|baca|cek"
                  r"|pantau|klik|add)")
_CHANNELS = (r"(?:whats\s*app|wa\s+channel|telegram|google\s+news|saluran\s+wa|line\s+today|"
             r"instagram|tiktok|youtube|twitter|facebook|channel)")
_CONTEST = r"(?:lomba|kontes|kuis|quiz|giveaway|sayembara|kompetisi|challenge)"
_PUBLISHED = r"(?:tayang|terbit|dimuat|diterbitkan|dipublikasikan|ditayangkan|published)"

#: Family patterns, each matched at the start of a short line (after any bullet or rule of dashes).
BOILERPLATE_FAMILIES: dict[str, tuple[str, ...]] = {
    "video": (
        rf"{_PLEASE}{_VIDEO_VERBS}{_ALSO}\s+{_VIDEO_OBJECTS}\b",
        rf"{_VIDEO_OBJECTS}\s*(?:pilihan|terkait|terbaru|rekomendasi)\b[^.]*$",
    ),
    "app": (
        rf"{_PLEASE}{_APP_VERBS}{_ALSO}\s+(?:juga\s+)?{_APP_OBJECTS}\b",
        rf"{_PLEASE}{_APP_VERBS}\b.{{0,80}}\b{_STORES}",
    ),
    "channel": (
        rf"{_PLEASE}{_CHANNEL_VERBS}\b.{{0,100}}\b{_CHANNELS}\b",
    ),
    "contest": (
        rf"{_PLEASE}(?:ikuti|ikut|ikutan|join)\s+(?:juga\s+)?{_CONTEST}\b",
        r"(?:tulis|kirim|berikan)\s+komentar.{0,80}\b(?:menangkan|hadiah|voucher|berhadiah)",
        r"(?=.*#\w).*\b(?:menangkan|berhadiah|hadiah|voucher|giveaway)\b",
    ),
    "trailer": (
        rf"(?:artikel|berita|tulisan|konten|video)\s+ini\s+(?:telah|sudah|pernah|juga|pertama\s+kali)?\s*"
        rf"(?:\w+\s+)?{_PUBLISHED}\b",
        r"[-–—_=*•·~]{3,}$", r"(?:\*\s*){3,}$",
    ),
    "page counter": (
        r"\(?\s*(?:halaman|hal\.?|page)\s*\d+\s*(?:dari|of|/)\s*\d+\s*\)?$",
        r"(?:halaman|page)\s*(?:selanjutnya|berikutnya|sebelumnya|next|previous)\b.{0,20}$",
        r"(?:halaman|page)\s*:?\s*(?:\d+\s*)+(?:selanjutnya|berikutnya|next|»|>)?$",
    ),
    "continue reading": (
        r"(?:lanjut(?:kan)?|teruskan)\s+(?:baca|membaca)\b", r"continue\s+reading\b",
        r"(?:klik\s+(?:untuk\s+)?)?(?:baca|membaca)\s+(?:artikel\s+|berita\s+)?(?:selengkapnya|lebih\s+lanjut)\b.{0,30}$",
        r"scroll\s+(?:ke\s+bawah|down)\s+(?:untuk|to)\b",
    ),
    "photo widget": (
        r"(?:perbesar|lihat\s+foto|zoom)\b", r"klik\s+untuk\s+memperbesar\b",
    ),
    "tag list": (
        r"(?:tags?|tagar|topik|kata\s+kunci|keywords?)\s*:", r"(?:#[\w-]+[\s,]*){2,}$",
    ),
}
_ENLARGE = re.compile(r"^\W*(?:perbesar|lihat\s+foto|zoom|klik\s+untuk\s+memperbesar)\b", re.I)
#: Family lines are at most this long (a promo is a line; an article sentence about the same things is longer).
FAMILY_MAX_CHARS = 220
_FAMILIES = re.compile(
    rf"^[\s\W_]{{0,3}}{_DASHES}(?:" + "|".join(f"(?:{p})" for ps in BOILERPLATE_FAMILIES.values() for p in ps) + ")",
    re.I,
)


def boilerplate_family(text: str) -> str | None:
    """The family of a boilerplate line ("video", "app", "channel", ...), or None for body text."""
    if len(text) > FAMILY_MAX_CHARS or not _FAMILIES.match(text):
        return None
    for name, patterns in BOILERPLATE_FAMILIES.items():
        if re.match(rf"^[\s\W_]{{0,3}}{_DASHES}(?:" + "|".join(patterns) + ")", text, re.I):
            return name
    return None

#: Class/id tokens of elements dropped whole. Each is a regex searched in every class token and
#: in the id; they are anchored on token edges so that "ads" does not hit "heads" or "uploads".
DROP_TOKENS = (
    r"^ads?(?:[-_]|$)", r"[-_]ads?(?:[-_]|$)", r"^ads?[A-Z]", r"advert", r"^gpt", r"dfp", r"^div-gpt-ad",
    r"kompasidrec", r"related", r"sisip", r"caption", r"^photo__", r"^credit", r"^social",
    r"share", r"^paging", r"paging$", r"pagination", r"^tag__", r"tagscloud", r"^tags?$", r"^tagging",
    r"kgplus", r"gate-kgplus", r"gramedia__gate", r"premium_div", r"liftdown", r"kgnw", r"^kcm__",
    r"native-wrap", r"fb-quote", r"mgid", r"outbrain", r"taboola", r"recommend", r"newsletter",
    r"^comment", r"^read__(?:paging|byline|credit|photo|tagging|time|header|kgplus)", r"^promo",
    r"^video", r"^embed-?video", r"^parallax", r"^banner", r"^sponsor", r"^widget", r"^most__",
    r"^trending", r"^breadcrumb", r"topik-?pilihan", r"^box_?terkait", r"^kcm-read-terkait",
    # Embedded posts are not the article's text (MANIFEST conventions).
    r"^twitter-(?:tweet|timeline|video)", r"^instagram-media", r"^tiktok-embed", r"^fb-(?:post|video)",
    r"^embed(?:[-_]|$)", r"-embed$",
)

#: Class/id tokens of "Baca juga" containers whose links become related entries.
RELATED_BLOCK_TOKENS = (r"^inject-baca-juga", r"baca-?juga", r"bacajuga", r"baca_juga", r"^linksisip", r"^sisip_")

#: Elements never part of the text.
DROP_TAGS = frozenset({"figure", "figcaption", "aside", "nav", "form", "button", "select", "input",
                       "ins", "object", "embed", "video", "audio", "picture", "header", "footer"}) | INVISIBLE_TAGS
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"})
CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "thead",
                            "tfoot", "tr", "center", "body", "html", "span", "font"})


_MEDIA_TAGS = frozenset({"img", "picture", "amp-img", "video", "iframe"})
_NESTED_BLOCKS = BLOCK_TAGS - {"li"}
_BR = frozenset({"br"})
_IMG = frozenset({"img"})
_SPAN_BREAKERS = BLOCK_TAGS | {"div", "br"}


def _has(el: Tag, names: frozenset[str]) -> bool:
    """True when a descendant of ``el`` has one of the tag names (cheaper than bs4's find)."""
    return any(type(d) is Tag and d.name in names for d in el.descendants)


def _has_link(el: Tag) -> bool:
    """True when ``el`` holds an ``<a>`` with an href attribute (``el.find("a", href=True)`` without its filters)."""
    return any(type(d) is Tag and d.name == "a" and d.get("href") is not None for d in el.descendants)


def _links(el: Tag) -> list[Tag]:
    """Descendant ``<a href>`` elements in document order."""
    return [d for d in el.descendants if type(d) is Tag and d.name == "a" and d.get("href")]


def _compile(patterns: Iterable[str], flags: int = re.I) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class CleanRules:
    """What a site adds to the shared cleaning: extra drop selectors, tokens and line patterns."""

    drop_selectors: tuple[str, ...] = ()  # CSS selectors (soupsieve) removed before the walk
    drop_tokens: tuple[str, ...] = ()
    related_block_tokens: tuple[str, ...] = ()
    related_labels: tuple[str, ...] = ()
    boilerplate_lines: tuple[str, ...] = ()
    #: Drop everything after the first line matching one of these (e.g. the end of the article).
    stop_lines: tuple[str, ...] = ()
    #: Element ids after which nothing is body except boilerplate (``EndOfArticle`` on Kompas).
    end_markers: tuple[str, ...] = ()
    # Compiled patterns, filled in __post_init__.
    _drop: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _related_block: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _related_line: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _related_loose: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _related_tail: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _boiler: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _boiler_any: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _stop: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _box_label: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _box_label_anywhere: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _box_label_seed: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        labels = "|".join(RELATED_LABELS + self.related_labels)
        object.__setattr__(self, "_drop", _compile(DROP_TOKENS + self.drop_tokens))
        object.__setattr__(self, "_related_block", _compile(RELATED_BLOCK_TOKENS + self.related_block_tokens))
        object.__setattr__(self, "_related_line", re.compile(f"{_LEAD}(?:{labels}){_SEP}", re.I))
        # A box whose only text outside its links is one of the site's own labels.
        own = "|".join(self.related_labels) or "(?!)"
        object.__setattr__(self, "_box_label", re.compile(rf"{_LEAD}(?:{own})\s*[:：\-–—|»•]*\s*$", re.I))
        object.__setattr__(self, "_box_label_anywhere", re.compile(own, re.I))
        # The first words of the box labels (_BOX_LABEL's and the site's), to find label boxes from their text.
        firsts = {"baca", "lihat", "simak"}
        for label in self.related_labels:
            m = re.match(r"[a-z]+", label)
            if m is None:
                firsts = set()
                break
            firsts.add(m.group(0))
        object.__setattr__(self, "_box_label_seed", re.compile("|".join(sorted(firsts)), re.I) if firsts else None)
        object.__setattr__(self, "_related_loose", re.compile(f"{_LEAD}(?:{labels}){_LOOSE_SEP}", re.I))
        # A label left at the end of the text before an inline "Baca juga" link.
        object.__setattr__(self, "_related_tail", re.compile(rf"\b(?:{labels})\s*[:：\-–—|»>]*\s*$", re.I))
        # Anchored patterns are joined into one pattern used with .match (one attempt, at position
        # 0): an alternation used with .search costs a try at every character of every paragraph.
        lines = BOILERPLATE_LINES + self.boilerplate_lines
        anchored = [p[1:] for p in lines if p.startswith("^")]
        floating = [p for p in lines if not p.startswith("^")]
        object.__setattr__(self, "_boiler", _compile(anchored))
        object.__setattr__(self, "_boiler_any", _compile(floating) if floating else None)
        object.__setattr__(self, "_stop", _compile(self.stop_lines) if self.stop_lines else None)

    def extend(self, **more: tuple[str, ...]) -> CleanRules:
        """A copy with tuples appended (``rules.extend(drop_tokens=("x",))``)."""
        return replace(self, **{k: getattr(self, k) + tuple(v) for k, v in more.items()})

    def is_boilerplate(self, text: str) -> bool:
        """A line dropped wherever it stands: a listed pattern or one of the families (short lines only)."""
        return bool(self._boiler.match(text) or (self._boiler_any is not None and self._boiler_any.search(text))
                    or (len(text) <= FAMILY_MAX_CHARS and _FAMILIES.match(text)))

    def related_label(self, text: str) -> re.Match[str] | None:
        """The "Baca juga"-type label (with a separator) at the start of ``text``, if any."""
        return self._related_line.match(text)

    def loose_related_label(self, text: str) -> re.Match[str] | None:
        """The label without a separator ("baca juga Judul"): related only when links follow."""
        return self._related_loose.match(text)


DEFAULT_RULES = CleanRules()


@dataclass
class Cleaned:
    """The result of cleaning a body fragment."""

    paragraphs: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # text of dropped lines, for debugging


def _tokens(el: Tag) -> list[str]:
    classes: str | list[str] = el.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = el.get("id")
    return list(classes) + ([ident] if isinstance(ident, str) and ident else [])


def _matches(el: Tag, pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(t) for t in _tokens(el))


def _is_image_only(el: Tag) -> bool:
    """A block holding an image (or nothing visible) and no text."""
    return _has(el, _MEDIA_TAGS)


def _is_all_emphasis(el: Tag) -> bool:
    """True when every visible character of the block sits inside em/i/small (a caption's look)."""
    seen = False
    for node in el.descendants:
        if type(node) is not NavigableString or not node.strip():
            continue
        seen = True
        parent = node.parent
        while parent is not None and parent is not el and parent.name not in ("em", "i", "small"):
            parent = parent.parent
        if parent is None or parent is el:
            return False
    return seen


# A photo credit closing a caption: "(KOMPAS.com/DIMAS ARYA PRANATA)", "(AFP/STR)", "(Dok. Humas)".
_PHOTO_CREDIT = re.compile(r"\((?:[A-Z][\w .,'&-]*/[^()]+|Dok\.?\s[^()]+|Foto\s*:[^()]+)\)\s*$")


# The label of a box of read-also links. Narrower than RELATED_LABELS on purpose: "Berita
# Terkait" / recommendation boxes are not the body's related links (fixtures README).
_BOX_LABEL = re.compile(r"^\W{0,3}(?:baca\s*juga|baca\s*pula|lihat\s+juga|simak\s+juga)\s*[:：\-–—]*\s*$", re.I)


def _box_label(el: Any) -> bool:
    """True when the first visible text of a (bs4 or lxml) box is a read-also label."""
    strings = el.strings if isinstance(el, Tag) else el.itertext()
    first = next((t for t in strings if t.strip()), "")
    return bool(_BOX_LABEL.match(normalize_ws(first)))


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def is_hidden(attrs: Any) -> bool:
    """True for an element the reader never sees (``hidden`` or an inline display:none style)."""
    return "hidden" in attrs or bool(_HIDDEN_STYLE.search(str(attrs.get("style") or "")))


def drop_hidden(body: Tag) -> None:
    """Remove elements the reader never sees (``style="display:none"``, ``hidden``): loaders, templates."""
    # A plain pass over the descendants (find_all's filters cost more than the check itself).
    doomed = [el for el in body.descendants
              if type(el) is Tag and ("hidden" in el.attrs or "style" in el.attrs) and is_hidden(el.attrs)]
    for el in doomed:
        if not el.decomposed:
            el.decompose()


def _lift_breaks_out_of_links(body: Tag) -> None:
    """``<a>Judul<br></a>`` (seen on SINDOnews "Baca Juga" lines): move the break after the link, so
    that the link stays whole on its line instead of being split from its label."""
    # One plain pass finds the links; bs4's find_all costs a filter object per call and is only
    # worth it on the rare link that holds a break.
    for link in [d for d in body.descendants if type(d) is Tag and d.name == "a"]:
        if not _has(link, _BR):
            continue
        for br in link.find_all("br"):
            if br.find_parent("a") is link and not normalize_ws(
                "".join(str(s) for s in br.find_all_next(string=True) if link in s.parents)
            ):
                link.insert_after(br.extract())


_RELATED_BOX = "baca-juga"  # a class token RELATED_BLOCK_TOKENS recognise
_BOX_TAGS = ["div", "section", "aside", "table"]
#: _BOX_LABEL's words anywhere in a text: a cheap first test before looking at boxes one by one.
_ANY_BOX_LABEL = re.compile(r"baca\s*juga|baca\s*pula|lihat\s*juga|simak\s*juga", re.I)


def _text_outside_links(el: Tag) -> str:
    """The visible text of ``el`` that is not inside one of its links, with a space between pieces."""
    pieces = [str(node) for node in el.descendants
              if type(node) is NavigableString and node.find_parent("a") is None
              and node.parent is not None and node.parent.name not in ("script", "style")]
    return normalize_ws(" ".join(pieces))


def _label_box_candidates(body: Tag, rules: CleanRules) -> list[Tag]:
    """The boxes that can hold a label: ancestors of a text (outside links) with a label's first word.

    A box's label is the start of its text outside links, so its first word sits in one of its
    strings; walking up from those few strings spares a text scan of every div of the body.
    """
    seed = rules._box_label_seed
    if seed is None:  # a site label without a literal first word: look everywhere there is a label
        text = body.get_text(" ")
        if _ANY_BOX_LABEL.search(text) or (rules.related_labels and rules._box_label_anywhere.search(text)):
            return body.find_all(_BOX_TAGS)
        return []
    boxes: dict[int, Tag] = {}
    search = seed.search
    # A plain pass over the strings, as find_all(string=seed) would match them (regex search), minus its filters.
    for node in body.descendants:
        if type(node) is not NavigableString or search(node) is None or node.find_parent("a") is not None:
            continue
        for parent in node.parents:
            if parent is body:
                break
            if parent.name in _BOX_TAGS:
                boxes.setdefault(id(parent), parent)
    return list(boxes.values())


def _starts_with_label_word(el: Tag, rules: CleanRules) -> bool:
    """True when the text of ``el`` outside its links starts with a label's first word (cheap: it reads
    only up to the first word; a body container fails at its first sentence)."""
    seed = rules._box_label_seed
    if seed is None:
        return True
    pieces: list[str] = []
    for node in el.descendants:
        if type(node) is not NavigableString or not node.strip():
            continue
        if node.find_parent("a") is not None or (node.parent is not None and node.parent.name in ("script", "style")):
            continue
        pieces.append(str(node))
        text = normalize_ws(" ".join(pieces))
        if re.search(r"\w", text):
            m = re.match(r"^[\W_]{0,3}", text)
            return bool(seed.match(text, m.end() if m else 0))
    return False


def tag_related_boxes(body: Tag, rules: CleanRules) -> None:
    """Mark boxes that hold only a "Baca juga"-type label and links (``<span>Baca Juga</span><ul>…``) as
    related blocks, whatever their class: the walk lifts a label *line* followed by links, but not a
    loose label followed by a list. "Berita Terkait" boxes are not read-also links (see _BOX_LABEL)
    unless the site declares such a label itself."""
    for el in _label_box_candidates(body, rules):
        if not _starts_with_label_word(el, rules) or not _has_link(el) or len(block_text(el)) > 800:
            continue
        label_text = _text_outside_links(el)
        if _BOX_LABEL.match(label_text) or (rules.related_labels and rules._box_label.match(label_text)):
            el["class"] = [*(el.get("class") or []), _RELATED_BOX]  # type: ignore[assignment]  # a class list


class _Walker:
    """Document-order walk over a body fragment that fills a :class:`Cleaned`."""

    def __init__(self, rules: CleanRules, base_url: str | None) -> None:
        self.rules = rules
        self.base_url = base_url
        self.out = Cleaned()
        # Loose inline content (text, a, strong...) waiting for a <br> or a block: (text, node).
        self.buffer: list[tuple[str, NavigableString | Tag]] = []
        self.after_image = False  # the previous kept item was an image: a caption may follow
        self.related_header = False  # a bare "Baca juga:" line announced a list of links
        self.stopped = False
        self.seen_urls: set[str] = set()

    # -- related ---------------------------------------------------------------------------
    def add_links(self, el: Tag, only: list[Tag] | None = None) -> int:
        """Append the links of ``el`` (or just ``only``) to related, once per URL; returns the count."""
        links = only if only is not None else _links(el)
        n = 0
        for a in links:
            href = str(a.get("href") or "").strip()
            # <a><strong>Baca juga: Judul</strong></a>: the label is not part of the title.
            title = self.rules._related_line.sub("", block_text(a), count=1)
            if not href or href.startswith(("javascript:", "#", "mailto:")) or not title:
                continue
            url = urljoin(self.base_url, href) if self.base_url else href
            if url in self.seen_urls:
                continue
            self.seen_urls.add(url)
            self.out.related.append(Related(url=url, title=title))
            n += 1
        return n

    # -- output ----------------------------------------------------------------------------
    def emit(self, text: str, source: Tag | None = None) -> None:
        """Keep one paragraph unless it is boilerplate, a caption or a "Baca juga" line."""
        text = normalize_ws(text)
        if not text or self.stopped:
            return
        if self.rules._stop is not None and self.rules._stop.search(text):
            self.stopped = True
            self.out.dropped.append(text)
            return
        if self.rules.related_label(text):
            # A "Baca juga" line whose link was lost in a <br>-split or plain text: drop it.
            self.out.dropped.append(text)
            return
        if self.rules.is_boilerplate(text):
            self.out.dropped.append(text)
            return
        if self.after_image and (
            (source is not None and _is_all_emphasis(source)) or _PHOTO_CREDIT.search(text)
        ):
            self.out.dropped.append(text)  # caption under an in-body photo
            self.after_image = False
            return
        self.after_image = False
        self.related_header = False
        self.out.paragraphs.append(text)

    def flush(self) -> None:
        """Turn the buffered loose inline content into a paragraph (or a related line)."""
        if not self.buffer:
            return
        parts, self.buffer = self.buffer, []
        text = normalize_ws("".join(t for t, _ in parts))
        if not text:
            return
        links = [a for _, n in parts if isinstance(n, Tag)
                 for a in ([n] if n.name == "a" and n.get("href") else _links(n))]
        label = self.rules.related_label(text) or self.rules.loose_related_label(text)
        if label and links:
            rest = normalize_ws(text[label.end():]).replace(" ", "")
            if label.re is self.rules._related_line or rest == "".join(block_text(a) for a in links).replace(" ", ""):
                self.add_links(parts[0][1] if isinstance(parts[0][1], Tag) else links[0], links)
                self.out.dropped.append(text)
                return
        self.emit(text)

    # -- blocks ----------------------------------------------------------------------------
    def block(self, el: Tag) -> None:
        """A paragraph-like element."""
        text = block_text(el)
        if not text:
            if _is_image_only(el):
                self.after_image = True
            return
        label = self.rules.related_label(text)
        if label is None:
            loose = self.rules.loose_related_label(text)
            if loose and self._link_only_after(el, text[loose.end():]):
                label = loose
        if label:
            baca_links = [a for a in _links(el) if _matches(a, self.rules._related_block)]
            n = self.add_links(el, baca_links or None)
            if n == 0 and not normalize_ws(text[label.end():]):
                self.related_header = True  # "Baca juga:" alone; its links follow in the next blocks
            self.out.dropped.append(text)
            return
        if self.related_header and self._link_only(el):
            self.add_links(el)
            self.out.dropped.append(text)
            return
        # An inline "Baca juga" link inside an otherwise normal paragraph: lift it out.
        inline = [a for a in _links(el) if _matches(a, self.rules._related_block)]
        for a in inline:
            self._lift_inline(a)
        if inline:
            text = block_text(el)
        if el.name in ("li", "dd", "dt", "td", "th") and _has(el, _NESTED_BLOCKS):
            self.walk(el)  # a list item or cell that wraps paragraphs: take them one by one
            return
        pieces = split_on_br(el) if _has(el, _BR) else [text]
        for piece in pieces:
            self.emit(piece, el if len(pieces) == 1 else None)

    def _link_only_after(self, el: Tag, rest: str) -> bool:
        """True when the text after a label is just link text ("baca juga <a>Judul</a>")."""
        link_text = normalize_ws(" ".join(block_text(a) for a in _links(el)))
        return bool(link_text) and normalize_ws(rest).replace(" ", "") == link_text.replace(" ", "")

    def _link_only(self, el: Tag) -> bool:
        """True when the block's text is just the text of its links (a list of titles)."""
        link_text = normalize_ws("".join(block_text(a) for a in _links(el)))
        return bool(link_text) and len(link_text) >= len(block_text(el)) - 2

    def _lift_inline(self, a: Tag) -> None:
        """Move one "Baca juga" link found mid-paragraph to related and remove it and its label."""
        self.add_links(a, [a])
        holder = a.parent
        if isinstance(holder, Tag) and holder.name in ("strong", "b", "em", "i", "span"):
            if self.rules.related_label(block_text(holder)):
                holder.decompose()
                return
        prev = a.previous_sibling
        if isinstance(prev, NavigableString) and self.rules._related_tail.search(str(prev)):
            prev.replace_with(self.rules._related_tail.sub("", str(prev)))
        a.decompose()

    # -- the walk ---------------------------------------------------------------------------
    def walk(self, node: Tag) -> None:
        for child in list(node.children):
            if self.stopped:
                return
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not comments, CDATA, doctype
                    self.buffer.append((str(child), child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            ident = child.get("id")
            if isinstance(ident, str) and ident in self.rules.end_markers:
                self.flush()
                self.stopped = True
                return
            if name == "br":
                self.flush()
                continue
            if name in DROP_TAGS:
                if name in ("figure", "picture", "video", "embed", "object"):
                    self.flush()
                    self.after_image = True
                elif name == "button" and _ENLARGE.match(block_text(child)):
                    # A photo widget: an "enlarge" button, then the photo's caption (dropped as one).
                    self.flush()
                    self.after_image = True
                continue
            if _matches(child, self.rules._related_block):
                self.flush()
                self.add_links(child)
                self.out.dropped.append(block_text(child))
                continue
            if _matches(child, self.rules._drop):
                if _box_label(child):
                    # An old-style "Baca Juga" box (kcm-read-terkait...) inside the body: its
                    # links are the body's related links even though the box itself is dropped.
                    self.flush()
                    self.add_links(child)
                elif name == "img" or _has(child, _IMG):
                    self.after_image = True
                continue
            if name == "img":
                self.flush()
                self.after_image = True
                continue
            if name in BLOCK_TAGS:
                self.flush()
                self.block(child)
            elif name in CONTAINER_TAGS and (name not in ("span", "font") or _has(child, _SPAN_BREAKERS)):
                self.flush()
                self.walk(child)
                self.flush()
            else:
                # Inline markup (a, strong, em, span...) of loose text between <br>s.
                if _has(child, _BR):
                    self.walk(child)
                else:
                    self.buffer.append(("".join(_inline_strings(child)), child))
        # Loose text at the end of a container is flushed by the caller.


def _inline_strings(el: Tag) -> Iterable[str]:
    """Visible strings of an inline element (same rule as block_text, before normalising)."""
    for node in el.descendants:
        if type(node) is NavigableString and node.parent is not None and node.parent.name not in INVISIBLE_TAGS:
            yield str(node)


_KEEP_ATTRS = frozenset({"class", "id", "href", "src"})
_PRUNE_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "form", "button", "select",
                         "input", "ins", "object", "embed"})


def prune_lxml(root: Any, rules: CleanRules = DEFAULT_RULES) -> Any:
    """Remove, in the lxml tree, what the walk would drop anyway, so BeautifulSoup gets less.

    Scripts, styles and widget/ad elements (DROP_TOKENS) go; "Baca juga" blocks stay for the
    walk; a dropped element that held an image leaves an empty ``<img>`` so the caption rule
    still knows a photo stood there.
    """
    doomed: list[tuple[Any, bool]] = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            doomed.append((el, False))  # comments, processing instructions
            continue
        if el is root:
            continue
        names = el.keys()  # one C call; most elements of a body have no attribute at all
        if names:
            if ("hidden" in names or "style" in names) and is_hidden(el.attrib):
                doomed.append((el, False))
                continue
            # BeautifulSoup pays per attribute; the walk reads only these.
            extra = [a for a in names if a not in _KEEP_ATTRS]
            if extra:
                attrib = el.attrib
                for name in extra:
                    del attrib[name]
        if tag in _PRUNE_TAGS:
            doomed.append((el, False))
            continue
        if not names:
            continue  # no class, no id: nothing to match
        classes = (el.get("class") or "").split()
        ident = el.get("id")
        tokens = classes + ([ident] if ident else [])
        if not tokens or (ident and ident in rules.end_markers):
            continue
        if any(rules._related_block.search(t) for t in tokens):
            continue
        if _box_label(el):
            continue  # a "Baca Juga" box whatever its class: the walk lifts its links
        if any(rules._drop.search(t) for t in tokens):
            doomed.append((el, tag == "img" or el.find(".//img") is not None))
    for el, had_image in doomed:
        parent = el.getparent()
        if parent is None:
            continue  # already removed with an ancestor
        if had_image:
            placeholder = el.makeelement("img", {})
            placeholder.tail = el.tail
            parent.replace(el, placeholder)
        else:
            drop_keep_tail(el, parent)
    return root


def drop_keep_tail(el: Any, parent: Any) -> None:
    """Remove an lxml element but keep the text that follows it."""
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def clean_body(
    fragment: Tag,
    rules: CleanRules = DEFAULT_RULES,
    base_url: str | None = None,
) -> Cleaned:
    """Clean an article body fragment into paragraphs and lifted-out related links.

    Args:
        fragment: the body container (a bs4 Tag); it is modified in place.
        rules: the shared rules, possibly extended by the site.
        base_url: resolves relative related-link URLs (hrefs are kept verbatim when None).
    """
    drop_hidden(fragment)
    _lift_breaks_out_of_links(fragment)
    tag_related_boxes(fragment, rules)
    for selector in rules.drop_selectors:
        for el in fragment.select(selector):
            el.decompose()
    walker = _Walker(rules, base_url)
    walker.walk(fragment)
    walker.flush()
    _merge_dateline(walker.out.paragraphs)
    return walker.out


# A dateline standing alone before the first paragraph: "JAKARTA, KOMPAS.com -", "BOGOR (ANTARA) -",
# "Jakarta -". The conventions merge it into paragraph 1.
_DATELINE_ONLY = re.compile(
    r"^(?:[A-Z][A-Z .'’/-]{1,40}(?:\s*,\s*[\w.+]+|\s*\([\w.]+\))\s*[-–—]?|[A-Z][\w .'’/]{1,40}?\s+[-–—])$"
)


#: A wire-release dateline with a date and a double hyphen, alone before the first paragraph:
#: "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --".
_WIRE_DATELINE_ONLY = re.compile(r"^[A-Z][\w .,'’/]{1,50}\([\w ./]+\)\s*(?:-{1,2}|–|—)$")


def _merge_dateline(paragraphs: list[str]) -> None:
    """Merge a dateline-only first paragraph into the second (in place)."""
    if len(paragraphs) < 2:
        return
    first = paragraphs[0]
    if (len(first) <= 60 and _DATELINE_ONLY.match(first)) or (len(first) <= 80 and _WIRE_DATELINE_ONLY.match(first)):
        paragraphs[:2] = [f"{first} {paragraphs[1]}"]


# --- datelines ----------------------------------------------------------------------------------

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'’/()\-]{0,40}?)\s*,\s*(?:KOMPAS\.com|Kompas\w*|[A-Z][\w.]*\.(?:com|id|co\.id))\s*[-–—]"
)


def find_dateline(first_paragraph: str, pattern: re.Pattern[str] = _DATELINE) -> str | None:
    """The upper-case place of a dateline such as "KYIV, KOMPAS.com - ..." (None when absent)."""
    m = pattern.match(first_paragraph or "")
    if not m:
        return None
    place = normalize_ws(m.group("place"))
    return place if place and place.upper() == place else None

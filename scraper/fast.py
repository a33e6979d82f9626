"""The speed tricks of page reading, in one place, each with its equivalence test against the plain path.

**The rule they rest on: page trees are read-only.** Once ``scraper.html.parse_tree`` has parsed a page,
no profile, helper or cleaning step changes its tree; cleaning works on a copy of the body (``clean``
in ``scraper.sites.common`` deep-copies it). That is what lets a page's class/id tokens, its selector
matches and its text-node lists be computed once and remembered per document. Code that prunes a copy
asks with ``select(copy, selector, changing=True)``, which remembers nothing.

The tricks (tests/test_select.py checks each against lxml's own ``CSSSelector`` or a re-parse):

* ``CLASS_LOOKUP``: every element proxy an ``HtmlElement`` chosen in C (lxml.html's lookup is Python).
* ``select``: selectors compiled once; class-led ones reach elements through their ``@class`` attributes;
  ``#id`` ones through libxml2's id table; alternatives naming a class or id the page lacks are pruned
  from a group (or the whole selector answered ``[]``) from the page's token set; whole-document
  matches remembered per page.
* ``ClassBuckets``: one pass over the classed elements files each under the class substrings a parser
  asks for (Kompas's 26 keys; one XPath with 24 ``contains()`` was ~8 ms on a 50 KB page).
* ``colon_texts``: the body's text nodes holding a colon (credit lines), remembered per page.
* ``to_soup``: a bs4 copy of an lxml element built by driving bs4's tree builder from lxml events
  instead of serializing and re-parsing; ``split_drop_selectors`` runs a site's drop selectors in lxml.

Named ``fast`` rather than ``select``: a module ``select.py`` would shadow the standard library's
``select`` (used by ``selectors``, asyncio and Twisted) whenever a file in this folder runs as a script.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import cssselect
import lxml.html
from bs4 import BeautifulSoup, Tag
from lxml import etree
from lxml.cssselect import CSSSelector, LxmlTranslator

from scraper.text import block_text, soup_fragment

if TYPE_CHECKING:
    from scraper.cleaning import CleanRules

__all__ = ["CLASS_LOOKUP", "ClassBuckets", "colon_texts", "first", "first_text", "select", "split_drop_selectors",
           "to_soup"]

#: Every element an ``HtmlElement`` (text_content, drop_tree... all there), chosen in C: lxml.html's
#: default lookup is a Python method run for each element proxy created (every iteration step, every
#: XPath result) and costs about as much as the iteration itself; what it adds (FormElement,
#: InputElement... for form fields) no parser here uses.
CLASS_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


# --- CSS selectors -------------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _compiled(selector: str) -> tuple[etree.XPath, tuple[tuple[frozenset[str], frozenset[str]], ...] | None]:
    """The compiled selector and, per comma alternative, the class/id tokens it cannot match without."""
    return _class_led_xpath(selector) or CSSSelector(selector), _requirements(selector)


#: A selector led by classes on any element (``.box``, ``.box.other a``), with an optional descendant part.
_CLASS_LED = re.compile(r"\.(?P<key>[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*)*(?=\s|$)(?:\s+(?P<rest>[^\s,+~>][^,+~]*))?")


def _class_led_xpath(selector: str) -> etree.XPath | None:
    """CSSSelector's XPath for a class-led selector, reaching the elements through their class attributes.

    ``descendant-or-self::*[@class and contains(@class, 'box') ...]`` runs its test on every element (1 ms
    on a 280 KB page); ``descendant-or-self::*/@class[contains(., 'box')]/parent::*`` tests only the class
    attributes and then applies the same CSS test, for the same elements in the same order (half the time).
    """
    m = _CLASS_LED.fullmatch(selector)
    if m is None:
        return None
    translator = LxmlTranslator()
    owner = selector[:m.end("key")] + selector[m.end("key"):m.start("rest") if m["rest"] else len(selector)].rstrip()
    path = (f"descendant-or-self::*/@class[contains(., '{m['key']}')]/parent::*/"
            + translator.css_to_xpath(owner, prefix="self::"))
    if m["rest"]:
        path += "/" + translator.css_to_xpath(m["rest"].strip(), prefix="descendant::")
    return etree.XPath(path)


@lru_cache(maxsize=1024)
def _alternatives(selector: str, keep: tuple[bool, ...]) -> etree.XPath:
    """The XPath of a selector group restricted to the alternatives flagged in ``keep`` (as CSSSelector translates)."""
    translator = LxmlTranslator()
    parsed = cssselect.parse(selector)
    return etree.XPath(" | ".join(
        translator.selector_to_xpath(sel, "descendant-or-self::", translate_pseudo_elements=True)
        for sel, kept in zip(parsed, keep, strict=True) if kept
    ))


def _requirements(selector: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...] | None:
    """Per comma alternative, the (classes, ids) it needs: ``"div.a p, #b"`` -> ``(({"a"}, {}), ({}, {"b"}))``;
    None when unsure (syntax not walked here)."""
    try:
        parsed = cssselect.parse(selector)
    except cssselect.SelectorError:
        return None
    alternatives = []
    for sel in parsed:
        classes: set[str] = set()
        ids: set[str] = set()
        node: Any = sel.parsed_tree
        stack = [node]
        while stack:
            node = stack.pop()
            if isinstance(node, cssselect.parser.CombinedSelector):
                stack += [node.selector, node.subselector]
            elif isinstance(node, cssselect.parser.Class):
                classes.add(node.class_name)
                stack.append(node.selector)
            elif isinstance(node, cssselect.parser.Hash):
                ids.add(node.id)
                stack.append(node.selector)
            elif isinstance(node, (cssselect.parser.Negation, cssselect.parser.Attrib,
                                   cssselect.parser.Pseudo, cssselect.parser.Function)):
                stack.append(node.selector)  # what a :not() names is not required
            elif not isinstance(node, cssselect.parser.Element):
                return None
        alternatives.append((frozenset(classes), frozenset(ids)))
    return tuple(alternatives)


_CLASS_ATTRS = etree.XPath("//*/@class", smart_strings=False)
_ID_ATTRS = etree.XPath("//*/@id", smart_strings=False)


@dataclass
class _DocIndex:
    """Per document: every class token and id it holds (read once in C), the ids held by more than
    one element, and the whole-document matches of the selectors asked so far (profiles ask some
    several times)."""

    classes: set[str]
    ids: set[str]
    matches: dict[str, list[Any]]
    repeated_ids: set[str] = dataclasses.field(default_factory=set)
    colon_texts: list[Any] | None = None  # for labelled_values


_INDEX: weakref.WeakKeyDictionary[Any, _DocIndex] = weakref.WeakKeyDictionary()


def _doc_index(root: Any) -> _DocIndex:
    index = _INDEX.get(root)
    if index is None:
        id_list = _ID_ATTRS(root)
        ids = set(id_list)
        repeated = set() if len(ids) == len(id_list) else {i for i, n in Counter(id_list).items() if n > 1}
        index = _DocIndex(set(" ".join(_CLASS_ATTRS(root)).split()), ids, {}, repeated)
        _INDEX[root] = index
    return index


#: ``#id`` or ``#id <descendant selector>``: answerable from the parser's id table.
_ID_LED = re.compile(r"#(?P<id>[A-Za-z_][\w-]*)(?:\s+(?P<rest>[^\s,+~>][^,+~]*))?")
_BY_ID = etree.XPath("id($ident)")


@lru_cache(maxsize=256)
def _descendant_xpath(rest: str) -> etree.XPath:
    """``rest`` of an id-led selector as an XPath over the descendants of the id's element."""
    return etree.XPath(LxmlTranslator().css_to_xpath(rest, prefix="descendant::"))


def _select_by_id(root: Any, index: _DocIndex, selector: str) -> list[Any] | None:
    """Whole-document matches of an id-led selector, or None when the shortcut does not apply.

    libxml2's HTML parser files every ``id`` attribute in a table, so XPath ``id()`` is a lookup where
    ``[@id = 'x']`` compares the attribute of every element (up to 1 ms on a 300 KB page). The table
    answers only for an id that one element holds, still in the tree, still with that id.
    """
    m = _ID_LED.fullmatch(selector)
    if m is None or m["id"] in index.repeated_ids:
        return None
    found = _BY_ID(root, ident=m["id"])
    if len(found) != 1:
        return None
    el = found[0]
    if el.get("id") != m["id"] or (el is not root and root not in el.iterancestors()):
        return None
    if m["rest"] is None:
        return [el]
    return _descendant_xpath(m["rest"].strip())(el)


def select(tree: Any, selector: str, *, changing: bool = False) -> list[Any]:
    """Elements matching a CSS selector (compiled once per selector).

    A site's selectors are mostly fallbacks for other layouts: one naming a class or id the page
    does not hold at all is answered from the page's token set instead of a scan of the whole tree;
    whole-document matches are remembered (the module's rule: page trees are read-only).
    ``changing=True`` (a copy being pruned) scans the tree as it is now, remembering nothing.
    """
    compiled, needs = _compiled(selector)
    root = tree.getroottree().getroot()
    index = _doc_index(root)
    if needs is not None:
        possible = tuple(classes <= index.classes and ids <= index.ids for classes, ids in needs)
        if not any(possible):
            return []
        if not all(possible):
            # "a.x, b.y" where the page holds no "y": the union without the alternatives that cannot match.
            compiled = _alternatives(selector, possible)
    if tree is not root or changing:
        return compiled(tree)
    found = index.matches.get(selector)
    if found is None:
        found = _select_by_id(root, index, selector)
        if found is None:
            found = compiled(tree)
        if not (found and found[0] is root):  # a value holding its own weak key would never be freed
            index.matches[selector] = found
    return list(found)


def first(tree: Any, selectors: Iterable[str]) -> Any | None:
    """The first element matched by the first selector that matches anything."""
    for selector in selectors:
        found = select(tree, selector)
        if found:
            return found[0]
    return None


def first_text(tree: Any, selectors: Iterable[str]) -> str | None:
    """Normalised text of the first matching element that has text."""
    for selector in selectors:
        for el in select(tree, selector):
            text = block_text(el)
            if text:
                return text
    return None



# --- class-substring buckets ---------------------------------------------------------------------------


class ClassBuckets:
    """A page's classed elements filed under the class-name substrings a parser looks for.

    One pass over the elements that have a class (an XPath test in C), each distinct class value
    matched against the keys once (pages repeat the same few hundred values): one regex test per
    classed element instead of one ``contains()`` scan per key. Substrings, not tokens, so that a
    renamed variant ("read__content-v2") still hits.
    """

    def __init__(self, tree: Any, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.by: dict[str, list[Any]] = {k: [] for k in keys}
        body = tree.find("body")
        keys_of = _keys_matcher(keys)
        for el in (body if body is not None else tree).xpath("descendant-or-self::*[@class]"):
            for key in keys_of(el.get("class")):
                self.by[key].append(el)

    def first(self, *keys: str) -> Any | None:
        """First element (document order within each key, keys in priority order)."""
        for key in keys:
            if self.by[key]:
                return self.by[key][0]
        return None

    def all(self, *keys: str) -> list[Any]:
        """Every element of each key in turn (document order within a key)."""
        return [el for key in keys for el in self.by[key]]


@lru_cache(maxsize=32)
def _keys_matcher(keys: tuple[str, ...]) -> Any:
    """A memoised ``class value -> keys occurring in it`` function for one key set."""
    key_re = re.compile("|".join(re.escape(k) for k in keys))

    @functools.lru_cache(maxsize=4096)
    def keys_of(cls: str) -> tuple[str, ...]:
        return tuple(k for k in keys if k in cls) if key_re.search(cls) else ()

    return keys_of


# --- per-page text nodes ---------------------------------------------------------------------------------

# Script and style text is never a credit line (the loop below skips it); the parent test runs only on the
# few texts with a colon.
_COLON_TEXTS = etree.XPath("//body/descendant::text()[contains(., ':')][not(parent::script or parent::style)]")


def colon_texts(tree: Any) -> list[Any]:
    """The body's text nodes holding a colon, remembered per page (profiles read authors and editors apart)."""
    root = tree.getroottree().getroot()
    if tree is not root:
        return _COLON_TEXTS(tree)
    index = _doc_index(root)
    found = index.colon_texts
    if found is None:
        found = index.colon_texts = _COLON_TEXTS(tree)
    return found



# --- handing a body to BeautifulSoup ---------------------------------------------------------------

def to_soup(el: Any) -> Tag:
    """A bs4 copy of an lxml element, for the core cleaning (which works on bs4).

    The element's own start/text/end events drive BeautifulSoup's tree building directly, as its
    lxml builder does while parsing: the same Tags and strings, without serializing the fragment and
    parsing it again (that round trip was most of the cost of handing the body to bs4).
    """
    if not isinstance(el.tag, str) or el.tag in _DOCUMENT_TAGS:
        return _reparsed_soup(el)  # bs4 files these under <head>/<html>: keep its own placement
    soup = BeautifulSoup("", "lxml")
    new_attrs = soup.builder.attribute_dict_class
    prefixes = getattr(soup.builder, "active_namespace_prefixes", [{}])[-1]
    start, end, data = soup.handle_starttag, soup.handle_endtag, soup.handle_data
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag
        if not isinstance(tag, str) or tag[:1] == "{":
            return _reparsed_soup(el)  # comments or namespaced XML islands: not worth a second path
        if event == "start":
            attrs = new_attrs()
            for name, value in node.attrib.items():
                if name[:1] == "{":
                    return _reparsed_soup(el)
                attrs[name] = value
            start(tag, None, None, attrs, namespaces=prefixes)
            if node.text:
                data(node.text)
        else:
            end(tag)
            if node.tail and node is not el:
                data(node.tail)
    soup.endData()
    root = soup.contents[0] if soup.contents else None
    return root if isinstance(root, Tag) else soup


#: Elements bs4's parse moves out of <body>; a fragment rooted at one goes the serialize-and-parse way.
_DOCUMENT_TAGS = frozenset({"html", "head", "body", "title", "meta", "link", "base", "script", "style", "noscript"})


def _reparsed_soup(el: Any) -> Tag:
    """A bs4 copy of an lxml element by serializing it and parsing the HTML again."""
    html = lxml.html.tostring(el, encoding="unicode", with_tail=False)
    soup = soup_fragment(html)
    root = soup.body.find(recursive=False) if soup.body is not None else None
    return root if isinstance(root, Tag) else soup


@lru_cache(maxsize=64)
def split_drop_selectors(rules: CleanRules) -> tuple[tuple[str, ...], CleanRules]:
    """The site's drop selectors lxml can run, and the rules left for BeautifulSoup (soupsieve-only
    syntax such as ``:-soup-contains``); soupsieve costs ~1 ms a selector even on a small fragment."""
    in_lxml, rest = [], []
    for selector in rules.drop_selectors:
        try:
            _compiled(selector)
            in_lxml.append(selector)
        except (cssselect.SelectorError, cssselect.xpath.ExpressionError):
            rest.append(selector)
    if not in_lxml:
        return (), rules
    return tuple(in_lxml), dataclasses.replace(rules, drop_selectors=tuple(rest))

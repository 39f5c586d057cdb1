"""Document context: short forms, acronyms and typos attached to a fuller mention of the same document
(Belousov, Presiden Yun, KPUD, "kata Rote" two sentences after Mark Rutte)."""
from __future__ import annotations

from ..doc import Link, Span
from ..names import abbreviates, consonants, name_keys
from .nil import nil_key, nil_link
from .policy import Policy

ACRONYM_STOPWORDS = frozenset({"dan", "untuk", "dari", "di", "ke", "of", "the", "and", "for", "yang", "atau"})


def is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isupper() and text.isalpha()


def initials(text: str) -> str:
    return "".join(w[0] for w in name_keys(text).folded.split() if w not in ACRONYM_STOPWORDS)


class DocumentAnchors:
    """The fuller names of one document (two or more words), indexed so that each short mention is compared
    only with anchors sharing a token, a token's consonants, or its initials: linear in mentions."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.entries: dict[str, dict] = {}  # doc entity key -> {"forms", "type", "link", "tokens", "doc_tokens"}
        self.by_token: dict[str, set[str]] = {}
        self.by_consonants: dict[str, set[str]] = {}
        self.by_initials: dict[str, set[str]] = {}

    def add(self, key: str, form: str, entity_type: str, link: Link | None) -> None:
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = {"forms": [], "type": entity_type, "link": link, "tokens": set(),
                                         "doc_tokens": set()}
            if link:
                aliases = [a for a in link.entity.aliases if 1 < len(name_keys(a).tokens) <= 4]
                for alias in aliases[: self.policy.anchor_aliases]:
                    self._index(key, alias, entry)
        if form not in entry["forms"]:
            entry["forms"].append(form)
            self._index(key, form, entry)
            entry["doc_tokens"].update(name_keys(form).tokens)

    def _index(self, key: str, form: str, entry: dict) -> None:
        keys = name_keys(form)
        self.by_initials.setdefault(initials(form), set()).add(key)
        if entry["type"] != "PER":
            return  # a word of an organisation or place name is not a short form of it (Indonesia / TNI)
        entry["tokens"].update(keys.tokens)
        for tok in keys.tokens:
            self.by_token.setdefault(tok, set()).add(key)
            self.by_consonants.setdefault(consonants(tok), set()).add(key)

    def matches(self, span: Span) -> list[tuple[float, str]]:
        """(strength, anchor key), best first: `context_full` for the acronym of an anchor's words or words all
        found in a person's name (Belousov, Listyo Sigit), `context_typo` for one word with a name word's
        consonants and first letter (a typo such as Rote for Rutte)."""
        keys = name_keys(span.text)
        found: dict[str, float] = {}
        if is_acronym(span.text):
            for key in self.by_initials.get(keys.folded, ()):
                found[key] = self.policy.context_full
        if not keys.tokens or len(keys.key) < 3:
            return sorted(((v, k) for k, v in found.items()), reverse=True)
        tokens = set(keys.tokens)
        for key in set.intersection(*(self.by_token.get(t, set()) for t in tokens)):
            entry = self.entries[key]
            # one word may come from any known name of the entity; several words must all come from one of
            # its names in this document (Hafez al-Assad is not Bashar [Hafez] al-Assad)
            if (len(tokens) == 1 and tokens <= entry["tokens"]) or tokens < entry["doc_tokens"]:
                found[key] = self.policy.context_full
        if len(keys.tokens) == 1 and span.label != "PER" and not found:  # Kemenkeu, Pemprov, Persib
            for key, entry in self.entries.items():
                if entry["type"] != "PER" and any(abbreviates(span.text, form) for form in entry["forms"]):
                    found[key] = self.policy.context_full
        tok = keys.tokens[0]
        if len(keys.tokens) == 1 and len(tok) >= self.policy.typo_min_chars and consonants(tok):
            for key in self.by_consonants.get(consonants(tok), ()):
                if key not in found and any(o[0] == tok[0] and consonants(o) == consonants(tok)
                                            for o in self.entries[key]["tokens"]):
                    found[key] = self.policy.context_typo
        return sorted(((v, k) for k, v in found.items()), reverse=True)


def resolve_context(spans: list[Span], links: list[Link | None], policy: Policy) -> list[Link]:
    """Attach short forms (fewer words, an acronym, a typo) to the one fuller mention of the document they
    match, longest names first; everything still unlinked becomes NIL."""
    anchors = DocumentAnchors(policy)
    out = list(links)
    order = sorted(range(len(spans)), key=lambda i: (-len(name_keys(spans[i].text).tokens), i))
    for i in order:
        span, link = spans[i], links[i]
        matches = [(s, k) for s, k in anchors.matches(span) if policy.type_agreement(
            span.label, anchors.entries[k]["type"], tagged=span.ner_score is not None) >= policy.context_min_type]
        attached = _attach(span, link, matches, anchors)
        if attached:
            out[i] = attached
        if len(name_keys(span.text).tokens) >= 2 and not (attached and attached.method == "context"):
            key = link.id if link else nil_key(span.label, span.text)
            anchors.add(key, span.text, link.entity.type if link else span.label, link)
    return [link or nil_link(s.label, s.text) for s, link in zip(spans, out)]


def _attach(span: Span, link: Link | None, matches: list, anchors: DocumentAnchors) -> Link | None:
    """The context link for one mention, or None to keep its own decision."""
    if not matches:
        return None
    if len(matches) > 1 and matches[1][0] >= matches[0][0]:
        # Two fuller names fit equally (Kim with Kim Jong Un and Kim Yo Jong): no guess, and certainly not a
        # third person of that name from the knowledge base.
        tied = {k for s, k in matches if s == matches[0][0]}
        single = len(name_keys(span.text).tokens) == 1
        return nil_link(span.label, span.text) if link and link.id not in tied and single else None
    strength, key = matches[0]
    anchor = anchors.entries[key]
    if link and len(name_keys(span.text).tokens) > 1 and link.method != "fuzzy":
        return None  # a name of several words that the knowledge base knows (Donald Trump beside Donald Trump Jr.)
    if link and link.id == key and link.method != "key":
        return None  # already linked to this entity by its own name
    if link and link.entity.type == span.label and link.method in ("exact", "alias") \
            and strength < anchors.policy.context_full:
        return None  # an exact name of the right type beats a typo-level resemblance
    target = anchor["link"]
    if target:
        return Link(target.id, target.name, round(strength * target.score, 4), "context", anchor["forms"][0],
                    target.entity)
    return nil_link(span.label, anchor["forms"][0], round(strength, 4), "context", anchor["forms"][0])


"""A reading's texts as a flat list of fields: what the desk's correction form edits, the preview shows and
the history diffs.

Works on any content shape the generators deliver (the engine's schema, SPEC §11, and the older flat one):
every text leaf is a field, except what is not prose (the mandala's colours, symbols and SVG, the guidance's
day numbers). A field's path is the list of keys and indexes that reach it in the content.
"""

import copy
import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

# Keys that are not prose: never shown as text fields (the SVG is shown as an image where it belongs).
_NOT_TEXT = {"mandalaSvg", "colors", "symbols", "day"}

# English source labels (gettext_noop), translated when the fields are built (the desk's language).
_GROUPS = {
    "title": gettext_noop("Title"),
    "archetype": gettext_noop("Archetype"),
    "reading": gettext_noop("Reading"),
    "ritual": gettext_noop("Ritual"),
    "audioScript": gettext_noop("Audio script"),
    "synthesis": gettext_noop("Synthesis"),
    "mandala": gettext_noop("Mandala"),
    "guidance": gettext_noop("30-day guidance"),
}
_LEAVES = {
    "name": gettext_noop("Name"),
    "source": gettext_noop("Source"),
    "intro": gettext_noop("Introduction"),
    "closing": gettext_noop("Conclusion"),
    "title": gettext_noop("Title"),
    "body": gettext_noop("Text"),
    "moment": gettext_noop("Moment"),
    "intention": gettext_noop("Intention"),
    "focus": gettext_noop("Theme"),
    "practice": gettext_noop("Practice"),
}


@dataclass(frozen=True)
class ContentField:
    path: tuple  # keys (str) and indexes (int) from the content's root
    group: str  # the section it belongs to, in the active language ("Lecture")
    label: str  # its own label, in the active language ("Section 2 — Texte")
    value: str

    @property
    def name(self) -> str:
        """A form field name: "c-reading-sections-1-body"."""
        return "c-" + "-".join(str(part) for part in self.path)

    @property
    def title(self) -> str:
        """Section and label together ("Lecture · Introduction"), or one of them when they are the same."""
        return self.group if self.label == self.group else f"{self.group} · {self.label}"

    @property
    def long(self) -> bool:
        return len(self.value) > 90 or "\n" in self.value


def _group(key) -> str:
    return gettext(_GROUPS[key]) if key in _GROUPS else str(key)


def _label(path: tuple) -> str:
    parts = []
    for index, part in enumerate(path[1:], start=1):
        if isinstance(part, int):
            parent = path[index - 1]
            if parent == "sections":
                parts.append(gettext("Section %(number)s") % {"number": part + 1})
            elif parent == "steps":
                parts.append(gettext("Step %(number)s") % {"number": part + 1})
            elif parent == "guidance":
                parts.append(gettext("Day %(number)s") % {"number": part + 1})
            else:
                parts.append(str(part + 1))
        elif part != "sections" and part != "steps":
            parts.append(gettext(_LEAVES[part]) if part in _LEAVES else part)
    return " — ".join(parts) or _group(path[0])


def _walk(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def content_fields(content: dict | None) -> list[ContentField]:
    """Every text of the content, in its order, with labels in the active language."""
    fields = []
    for key, value in (content or {}).items():
        if key in _NOT_TEXT:
            continue
        for path, text in _walk(value, (key,)):
            fields.append(ContentField(path, _group(key), _label(path), text))
    return fields


def content_with_texts(content: dict, texts: dict[str, str]) -> dict:
    """A copy of the content with the texts given by field name replaced (other fields unchanged)."""
    result = copy.deepcopy(content)
    for field in content_fields(content):
        if field.name not in texts:
            continue
        target = result
        for part in field.path[:-1]:
            target = target[part]
        target[field.path[-1]] = texts[field.name]
    return result


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


def _inline_diff(old: str, new: str) -> SafeString:
    """Word-level difference: removed words in <del>, added ones in <ins>, everything escaped."""
    before, after = _words(old), _words(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
        if tag == "equal":
            out.append(escape("".join(before[i1:i2])))
    return mark_safe("".join(out))  # noqa: S308 — every piece of text above went through escape()


def content_diff(old: dict | None, new: dict | None) -> list[tuple[str, SafeString]]:
    """(label, HTML) for each text that differs between two versions, in the newer version's order."""
    before = {field.path: field for field in content_fields(old)}
    changes = []
    for field in content_fields(new):
        previous = before.pop(field.path, None)
        old_text = previous.value if previous else ""
        if old_text != field.value:
            changes.append((field.title, _inline_diff(old_text, field.value)))
    for field in before.values():  # texts the newer version no longer has
        changes.append((field.title, _inline_diff(field.value, "")))
    return changes

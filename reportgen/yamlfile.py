"""Reading one YAML file safely into plain data plus the line and column of every node.

We build values from the parser's event stream ourselves instead of using PyYAML's
composer or constructor, for four reasons:

* no recursion: libyaml's composer recurses per nesting level and crashes on files
  nested thousands deep; events come from an iterative state machine, so we can count
  depth and stop at the limit before anything deep is built;
* alias bombs ("billion laughs") are bounded: every alias is charged the size of the
  node it repeats, against a fixed budget;
* duplicate keys are errors (PyYAML silently keeps the last one);
* scalars keep the text as written (`territory: NO` is "NO", not False); the models
  resolve a scalar to a number, date or boolean only where the field wants one.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml import events

from reportgen.links import LINK_ADVICE
from reportgen.private_text import Zones, private_zones, redact
from reportgen.problems import Problem, Severity, format_path

if TYPE_CHECKING:
    from reportgen.i18n import Text

try:  # libyaml's parser is an order of magnitude faster; fall back when it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 50
# Values a file may hold once aliases are expanded; a large rep file has a few hundred.
MAX_NODES = 100_000

NodePath = tuple[str | int, ...]
Position = tuple[int, int]

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; a rep file needs at most 5"
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_ALLOWED_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
                           "tag:yaml.org,2002:seq"})


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar exactly as written. `plain` is False for quoted and block scalars."""

    raw: str
    plain: bool

    def resolve(self) -> Any:
        """The value YAML 1.1 gives this scalar (int, float, bool, date or text)."""
        if not self.plain:
            return self.raw
        # The common cases first: PyYAML's general resolver is slow per call.
        if _DECIMAL.fullmatch(self.raw):
            return int(self.raw)
        if self.raw in _BOOLEANS:
            return _BOOLEANS[self.raw]
        tag = _RESOLVER.resolve(yaml.ScalarNode, self.raw, (True, False))
        if tag == "tag:yaml.org,2002:str":
            return self.raw
        node = yaml.ScalarNode(tag, self.raw)
        try:
            return _CONSTRUCTOR.construct_object(node)
        except (ValueError, yaml.YAMLError):
            # e.g. 2026-02-30 looks like a date but is none: leave it as text.
            return self.raw

    def number(self) -> int | float | None:
        """The number this scalar is written as in plain decimal, else None.

        Stricter than YAML 1.1 on purpose: `050000` (octal to YAML), `1:30`
        (sexagesimal) and `0x1F` are not amounts a manager means, so they are refused
        rather than silently misread. Digit separators (`1_200_000`) are fine.
        """
        if not self.plain:
            return None
        text = self.raw.replace("_", "")
        if len(text) > 40:  # far beyond any amount; also keeps int() away from huge text
            return None
        if _INTEGER.fullmatch(text):
            return int(text)
        if _DECIMAL_FRACTION.fullmatch(text):
            return float(text)
        return None

    def __str__(self) -> str:
        return self.raw


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,30})")
_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FRACTION = re.compile(
    r"[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
             "FALSE": False}
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class YamlFileError(Exception):
    """The file cannot be read as YAML at all; carries the one Problem that says why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class Document:
    """One parsed file: its data, and where each of its nodes was written."""

    __slots__ = ("_marks", "data", "file", "holds_encrypted", "private_zones", "problems")

    def __init__(self, file: str, data: Any, marks: dict[int, Any] | None = None,
                 problems: list[Problem] | None = None, private_zones: Zones = ()) -> None:
        self.file = file  # relative to the workspace, with forward slashes
        self.data = data
        # Lines that are, or may be, inside a private field: messages about them quote
        # nothing (see private_text.py).
        self.private_zones = private_zones
        # Whether the text holds a sops value (`ENC[`) at all: most files do not, and
        # then encrypted.py has nothing to check in them.
        self.holds_encrypted = True
        # Errors found while parsing that still let the rest be checked (duplicate keys).
        self.problems = problems or []
        # id(container) → for a mapping {key: (key line, key column, value line, value
        # column)}, the value half None for a key written empty; for a list, [(line,
        # column)] per item. Keyed by identity so reading costs no path tuples.
        self._marks = marks if marks is not None else {}

    def position(self, path: NodePath, *, key: bool = False) -> Position:
        """Where to point for `path`: its key or value, else its nearest written ancestor."""
        where: Position = (1, 1)
        container = self.data
        for depth, part in enumerate(path):
            table = self._marks.get(id(container))
            if table is None:
                break
            if isinstance(container, dict):
                entry = table.get(part)
                if entry is None:
                    break
                last = depth == len(path) - 1
                if entry[2] is None or (key and last):
                    return entry[0], entry[1]
                where = entry[2], entry[3]
                container = container.get(part)
            else:
                if not isinstance(part, int) or part >= len(table):
                    break
                where = table[part]
                container = container[part]
        return where

    def written_empty(self, path: NodePath) -> bool:
        """True when the last key of `path` is in the file with an empty value."""
        container = self.data
        for part in path[:-1]:
            try:
                container = container[part]
            except (KeyError, IndexError, TypeError):
                return False
        table = self._marks.get(id(container))
        entry = table.get(path[-1]) if isinstance(table, dict) and path else None
        return entry is not None and entry[2] is None

    def problem(self, path: NodePath, message: str | Text, *,
                severity: Severity = Severity.ERROR, key: bool = False,
                shown_path: str | None = None, rep: str | None = None) -> Problem:
        """`message`: English text, or a message (i18n.Text) a page shows translated."""
        line, column = self.position(path, key=key)
        return redact(Problem(self.file, line, column, severity,
                              shown_path if shown_path is not None else format_path(path),
                              str(message), rep,
                              text=None if isinstance(message, str) else message),
                      self.private_zones)


def _file_problem(file: str, message: str, line: int = 1, column: int = 1) -> YamlFileError:
    return YamlFileError(Problem(file, line, column, Severity.ERROR, "-", message))


def read_document(path: Path, file: str) -> Document:
    """Read and parse `path`; `file` is how problems name it. Raises YamlFileError."""
    try:
        # Opened without following a link: one can point anywhere (see links.py).
        # Non-blocking, so that a named pipe cannot stall the build (it is refused below).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                             | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if path.is_symlink():
            raise _file_problem(file, f"a symbolic link: {LINK_ADVICE}") from None
        raise _file_problem(file, f"cannot read file: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as stream:
        try:
            size = os.fstat(descriptor).st_size
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise _file_problem(file, "not a regular file")
            if size > MAX_FILE_BYTES:
                raise _file_problem(file, f"file is {size / 1024 / 1024:.2f} MiB; the limit is"
                                    " 1 MiB (a rep file is normally a few KiB)")
            raw = stream.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise _file_problem(file, f"cannot read file: {error.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:  # it grew between stat and read
        raise _file_problem(file, "file is over the 1 MiB limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _file_problem(file, f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the"
                            " file as UTF-8", line, column) from None
    return parse_document(text, file)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MEANINGFUL_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)


def parse_document(text: str, file: str) -> Document:
    """Parse one file's text. Raises YamlFileError with the line of the first problem.
    No problem quotes text that is, or may be, inside a private field."""
    zones = private_zones(text)
    try:
        data, marks, duplicates = _parse(text, file)
    except YamlFileError as error:
        raise YamlFileError(redact(error.problem, zones)) from None
    document = Document(file, data, marks, [redact(problem, zones) for problem in duplicates],
                        zones)
    document.holds_encrypted = "ENC[" in text
    return document


def _parse(text: str, file: str) -> tuple[Any, dict[int, Any], list[Problem]]:
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        raise _file_problem(file, f"control character U+{ord(control.group()):04X} is not"
                            " allowed in YAML", line, column)
    if not _MEANINGFUL_LINE.search(text):
        raise _file_problem(file, "file is empty; expected a mapping of fields")
    try:
        data, marks, duplicates = _build(text, file)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "invalid YAML"
        if "nesting depth" in reason:
            # Some libyaml builds stop deep nesting themselves, before we count it.
            raise _file_problem(file, _TOO_DEEP, line, column) from None
        raise _file_problem(file, f"YAML syntax error: {reason}", line, column) from None
    except yaml.YAMLError as error:
        raise _file_problem(file, f"YAML syntax error: {error}") from None
    return data, marks, duplicates


def _events(text: str) -> Iterator[events.Event]:
    """The parser's events; like yaml.parse, with half the calls per event."""
    loader = _Loader(text)
    try:
        get_event, stream_end = loader.get_event, events.StreamEndEvent
        while True:
            event = get_event()
            yield event
            if event.__class__ is stream_end:
                return
    finally:
        loader.dispose()


# A frame is a collection being built, as a list for speed:
_CONTAINER, _KEY, _IS_MAPPING, _MARKS, _KEY_MARK, _ANCHOR, _NODES = range(7)


def _build(text: str, file: str) -> tuple[Any, dict[int, Any], list[Problem]]:
    """The file's data and marks, from the parser's events, in one tight loop.

    Duplicate keys come back as problems (the second value is dropped) so the rest of
    the file is still checked; anything else wrong stops the parse with YamlFileError.
    """
    stack: list[list[Any]] = []
    duplicates: list[Problem] = []
    marks: dict[int, Any] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    root: Any = None
    total_nodes = 0
    documents = 0
    scalar_event, mapping_start, sequence_start = (
        events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent)
    collection_end = (events.MappingEndEvent, events.SequenceEndEvent)

    def fail(message: str, event: events.Event) -> YamlFileError:
        mark = event.start_mark
        return _file_problem(file, message, mark.line + 1, mark.column + 1)

    for event in _events(text):
        kind = event.__class__
        nodes = 1
        if kind is scalar_event:
            if event.tag not in _ALLOWED_TAGS:
                raise fail(f"YAML tags such as '{event.tag}' are not supported; write plain"
                           " values", event)
            top = stack[-1] if stack else None
            if top is not None and top[_IS_MAPPING] and top[_KEY] is None:
                if event.anchor is not None:
                    anchors[event.anchor] = (Scalar(event.value, bool(event.implicit[0])), 1)
                _set_key(stack, event.value, event, duplicates, file)
                continue
            plain = bool(event.implicit[0])
            # An empty value means absent, however it is written ('', "", a bare key).
            value: Any = None if (plain and event.value in _NULL_WORDS) or not event.value \
                else Scalar(event.value, plain)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif kind is mapping_start or kind is sequence_start:
            if event.tag not in _ALLOWED_TAGS:
                raise fail(f"YAML tags such as '{event.tag}' are not supported; write plain"
                           " values", event)
            if stack and stack[-1][_IS_MAPPING] and stack[-1][_KEY] is None:
                raise fail("a key must be plain text, not a list or mapping", event)
            if len(stack) >= MAX_DEPTH:
                raise fail(_TOO_DEEP, event)
            is_mapping = kind is mapping_start
            container: Any = {} if is_mapping else []
            frame_marks: Any = {} if is_mapping else []
            marks[id(container)] = frame_marks
            total_nodes += 1
            stack.append([container, None, is_mapping, frame_marks, None, event.anchor, 1])
            if len(stack) > 1:
                _note_position(stack[-2], event.start_mark)
            continue
        elif kind in collection_end:
            frame = stack.pop()
            value = frame[_CONTAINER]
            nodes = frame[_NODES]
            if frame[_ANCHOR] is not None:
                anchors[frame[_ANCHOR]] = (value, nodes)
            if not stack:
                root = value
                continue
            stack[-1][_NODES] += nodes
            _attach(stack[-1], value)
            continue
        elif kind is events.AliasEvent:
            if event.anchor not in anchors:
                raise fail(f"unknown alias '*{event.anchor}'", event)
            value, nodes = anchors[event.anchor]
            top = stack[-1] if stack else None
            if top is not None and top[_IS_MAPPING] and top[_KEY] is None:
                if not isinstance(value, Scalar):
                    raise fail("a key must be plain text", event)
                _set_key(stack, value.raw, event, duplicates, file)
                continue
        elif kind is events.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail("the file holds more than one YAML document ('---'); keep one"
                           " per file", event)
            continue
        else:
            continue
        total_nodes += nodes
        if total_nodes > MAX_NODES:
            raise fail(f"the file expands to more than {MAX_NODES:,} values (aliases"
                       " repeating aliases?); refused", event)
        if not stack:
            root = value
            continue
        stack[-1][_NODES] += nodes
        _note_position(stack[-1], event.start_mark)
        _attach(stack[-1], value)
    return root, marks, duplicates


class _Duplicate(str):
    """The key of a value written a second time under the same name: not kept."""


def _set_key(stack: list[list[Any]], key: str, event: events.Event,
             duplicates: list[Problem], file: str) -> None:
    top = stack[-1]
    top[_KEY_MARK] = event.start_mark
    if key not in top[_MARKS]:
        top[_KEY] = key
        return
    path: list[str | int] = []
    for frame in stack[:-1]:
        path.append(frame[_KEY] if frame[_IS_MAPPING] else len(frame[_CONTAINER]))
    path.append(key)
    first = top[_MARKS][key][0]
    mark = event.start_mark
    duplicates.append(Problem(
        file, mark.line + 1, mark.column + 1, Severity.ERROR, format_path(tuple(path)),
        f"duplicate key '{key}' (first written on line {first}); YAML would silently keep"
        " only the last one"))
    top[_KEY] = _Duplicate(key)


def _note_position(frame: list[Any], mark: Any) -> None:
    """Record where the value about to join `frame` starts."""
    if frame[_IS_MAPPING]:
        if isinstance(frame[_KEY], _Duplicate):
            return
        key_mark = frame[_KEY_MARK]
        frame[_MARKS][frame[_KEY]] = (key_mark.line + 1, key_mark.column + 1,
                                      mark.line + 1, mark.column + 1)
    else:
        frame[_MARKS].append((mark.line + 1, mark.column + 1))


def _attach(frame: list[Any], value: Any) -> None:
    if frame[_IS_MAPPING]:
        key = frame[_KEY]
        if isinstance(key, _Duplicate):
            pass
        elif value is None:
            # An empty value means absent; remember the key was written, for messages.
            key_line, key_column, _, _ = frame[_MARKS][key]
            frame[_MARKS][key] = (key_line, key_column, None, None)
        else:
            frame[_CONTAINER][key] = value
        frame[_KEY] = None
    else:
        frame[_CONTAINER].append(value)

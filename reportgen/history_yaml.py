"""Past versions of rep files as plain data, fast, within the loader's limits.

A build with history reads every version of every rep file on the line: thousands for a
large org. The loader (yamlfile.py) records the line and column of every node for its
messages; history never reports a position, and skipping that bookkeeping makes reading
a version about a third cheaper. Everything else is the loader's: its event source
(libyaml's parser, iterative, so deep nesting cannot crash it), its limits (MAX_DEPTH
levels, MAX_NODES values once aliases are expanded) and its data shape (dicts, lists and
`Scalar`s as written, empty values absent). Where the loader would refuse a file, this
returns None: a past version that does not parse counts as absent. Duplicate keys keep
the first value; tags are ignored (leniency is the rule for history).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events

from reportgen.yamlfile import MAX_DEPTH, MAX_NODES, Scalar, _events

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_SCALAR, _MAPPING_START, _SEQUENCE_START = (
    events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent)
_MAPPING_END, _SEQUENCE_END, _ALIAS, _DOCUMENT_START = (
    events.MappingEndEvent, events.SequenceEndEvent, events.AliasEvent,
    events.DocumentStartEvent)
# A frame is a collection being built: [container, pending key, is mapping, anchor, nodes]
_CONTAINER, _KEY, _IS_MAPPING, _ANCHOR, _NODES = range(5)


def _attach(frame: list[Any], value: Any) -> None:
    if frame[_IS_MAPPING]:
        key = frame[_KEY]
        if value is not None and key not in frame[_CONTAINER]:
            frame[_CONTAINER][key] = value
        frame[_KEY] = None
    else:
        frame[_CONTAINER].append(value)


def lenient_data(text: str) -> Any:
    """The data of one past version, or None where the loader would refuse it."""
    try:
        return _build(text)
    except yaml.YAMLError:
        return None


def _build(text: str) -> Any:
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    root: Any = None
    total_nodes = 0
    documents = 0
    for event in _events(text):
        kind = event.__class__
        nodes = 1
        if kind is _SCALAR:
            top = stack[-1] if stack else None
            if top is not None and top[_IS_MAPPING] and top[_KEY] is None:
                top[_KEY] = event.value
                if event.anchor is not None:
                    anchors[event.anchor] = (Scalar(event.value, bool(event.implicit[0])), 1)
                continue
            plain = bool(event.implicit[0])
            value: Any = None if (plain and event.value in _NULL_WORDS) or not event.value \
                else Scalar(event.value, plain)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            if len(stack) >= MAX_DEPTH or (
                    stack and stack[-1][_IS_MAPPING] and stack[-1][_KEY] is None):
                return None  # too deep, or a collection as a key
            stack.append([{} if kind is _MAPPING_START else [], None,
                          kind is _MAPPING_START, event.anchor, 1])
            total_nodes += 1
            continue
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            frame = stack.pop()
            value, nodes = frame[_CONTAINER], frame[_NODES]
            if frame[_ANCHOR] is not None:
                anchors[frame[_ANCHOR]] = (value, nodes)
            if not stack:
                root = value
                continue
            stack[-1][_NODES] += nodes
            _attach(stack[-1], value)
            continue
        elif kind is _ALIAS:
            if event.anchor not in anchors:
                return None
            value, nodes = anchors[event.anchor]
            top = stack[-1] if stack else None
            if top is not None and top[_IS_MAPPING] and top[_KEY] is None:
                if not isinstance(value, Scalar):
                    return None
                top[_KEY] = value.raw
                continue
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                return None
            continue
        else:
            continue
        total_nodes += nodes
        if total_nodes > MAX_NODES:
            return None
        if not stack:
            root = value
            continue
        stack[-1][_NODES] += nodes
        _attach(stack[-1], value)
    return root

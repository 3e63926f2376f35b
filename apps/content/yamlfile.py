"""YAML reading that remembers line numbers, so import errors can say `file:line: what is wrong`.

Every YAML file a user can hand us (questions, note front matter, blueprints, the glossary) is read here, with
limits: no anchors or aliases (a few hundred bytes of nested aliases expand to gigabytes once turned into
text), no nesting deeper than MAX_YAML_DEPTH (the composer recurses) and no integers longer than
MAX_INTEGER_DIGITS.
"""

from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

MAX_YAML_DEPTH = 32
MAX_INTEGER_DIGITS = 30


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows the line of itself (`line`) and of each key (`key_lines`)."""

    line = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that certprep does not read (anchors, aliases, deep nesting, huge numbers)."""


class _LineLoader(yaml.SafeLoader):
    def compose_document(self) -> yaml.Node | None:
        self._depth = 0
        return super().compose_document()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                problem="anchors and aliases (& and *) are not allowed; write each value out",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(
                problem=f"nested deeper than {MAX_YAML_DEPTH} levels", problem_mark=event.start_mark
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    if len(str(node.value)) > MAX_INTEGER_DIGITS:
        raise ConstructorError(
            None, None, f"a number longer than {MAX_INTEGER_DIGITS} digits", node.start_mark
        )
    return SafeConstructor.construct_yaml_int(loader, node)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict(loader.construct_pairs(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class YAMLSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, *, first_line: int = 1) -> Any:
    """Parse YAML text; mappings are LineDicts. Syntax errors and refused constructs raise YAMLSyntaxError with
    the line."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        kind = "YAML not accepted" if isinstance(exc, _Refused | ConstructorError) else "YAML syntax error"
        raise YAMLSyntaxError(line, f"{kind}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(first_line, f"YAML error: {exc}") from None
    except (ValueError, RecursionError) as exc:  # a value the constructors cannot build; a last resort
        raise YAMLSyntaxError(first_line, f"YAML not accepted: {exc.__class__.__name__}") from None
    if isinstance(data, LineDict) and first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(value: object, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {key: line + offset for key, line in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift_lines(item, offset)

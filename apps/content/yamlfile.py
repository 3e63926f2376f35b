"""YAML reading that remembers line numbers, so import errors can say `file:line: what is wrong`."""

import yaml


class LineDict(dict):
    """A mapping from YAML that knows the line of itself (`line`) and of each key (`key_lines`)."""

    line = 1
    key_lines: dict

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LineDict(loader.construct_pairs(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YAMLSyntaxError(ValueError):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


def load_yaml(text, *, first_line=1):
    """Parse YAML text; mappings are LineDicts. Syntax errors raise YAMLSyntaxError with the line."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        raise YAMLSyntaxError(line, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(first_line, f"YAML error: {exc}") from None
    if isinstance(data, LineDict) and first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(value, offset):
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {key: line + offset for key, line in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift_lines(item, offset)

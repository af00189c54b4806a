"""YAML input files that report problems with file and line.

Every file a user writes (inventory, baselines, attestations, registers,
family sidecars) is read through here, so a mistake always comes back as
``file:line: what is wrong`` and the CLI turns it into exit code 2.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from auditor.i18n import _

#: Input files larger than this are refused before parsing (a YAML bomb or a
#: wrong file is far more likely than a 20 MB inventory).
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: Nesting deeper than this is refused before composing (PyYAML's composer recurses per level).
MAX_DEPTH = 64
#: Alias uses (``*name``) allowed; a billion-laughs document needs many, an inventory a few.
MAX_ALIASES = 200
#: Nodes of the document with every alias expanded; what validation would walk.
MAX_NODES = 500_000

PathKey = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


class YamlFileError(Exception):
    """A user-supplied file is malformed; carries where and why."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")


class _NoDuplicatesLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys (a silent override hides typos)."""


class _FastNoDuplicatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser, when PyYAML has it.

    The baselines, sidecars and rule files read at every start-up parse ~10×
    faster with it; a file it refuses is parsed again by the pure-Python
    parser, whose messages say more ("expected <block end>, but found …").
    """


def _construct_mapping(loader: _NoDuplicatesLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_NoDuplicatesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastNoDuplicatesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class YamlDocument:
    """Parsed data plus the line of every key and list item in it."""

    path: Path
    data: Any
    lines: dict[PathKey, int]

    def line_of(self, key: Iterable[str | int]) -> int | None:
        """Line of the deepest known prefix of ``key`` (1-based)."""
        parts = tuple(key)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), None)

    def error(self, key: Iterable[str | int], message: str) -> YamlFileError:
        key = tuple(key)
        label = _dotted(key)
        return YamlFileError(self.path, self.line_of(key), f"{label}: {message}" if label else message)

    def error_from_validation(self, exc: ValidationError, prefix: PathKey = ()) -> YamlFileError:
        """Turns every pydantic error into ``file:line: field: reason`` lines."""
        problems = []
        first_line = None
        for err in exc.errors():
            loc = prefix + tuple(part for part in err["loc"] if not _is_union_tag(part))
            line = self.line_of(loc)
            first_line = first_line or line
            problems.append(f"{self.path}:{line or '?'}: {_dotted(loc)}: {_reason(err)}")
        return YamlFileError(self.path, first_line, _("invalid content") + "\n" + "\n".join(problems))


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the model/tag name of a union member into ``loc``
    return isinstance(part, str) and (part[:1].isupper() or part.startswith("function-"))


def _reason(err: dict[str, Any]) -> str:
    """A pydantic error in the reader's words (its common kinds from the catalogue; others as pydantic says)."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our validators' own (translated) message, without pydantic's "Value error, "
    words = {
        "extra_forbidden": _("unknown key (check spelling)"),
        "missing": _("required key is missing"),
        "int_parsing": _("must be a whole number"), "int_type": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "float_parsing": _("must be a number"), "float_type": _("must be a number"),
        "bool_parsing": _("must be true or false"), "bool_type": _("must be true or false"),
        "string_type": _("must be text"), "list_type": _("must be a list"),
        "dict_type": _("must be a mapping (key: value)"), "model_type": _("must be a mapping (key: value)"),
        "model_attributes_type": _("must be a mapping (key: value)"),
        "greater_than": _("must be greater than {gt}"), "greater_than_equal": _("must be at least {ge}"),
        "less_than": _("must be less than {lt}"), "less_than_equal": _("must be at most {le}"),
        "too_short": _("must have at least {min_length} item(s)"),
        "string_too_short": _("must have at least {min_length} character(s)"),
        "literal_error": _("must be one of {expected}"), "enum": _("must be one of {expected}"),
        "string_pattern_mismatch": _("must match the pattern {pattern}"),
        "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"), "date_parsing": _("must be a date (YYYY-MM-DD)"),
        "date_type": _("must be a date (YYYY-MM-DD)"),
        "datetime_parsing": _("must be a date and time (YYYY-MM-DDTHH:MM)"),
        "datetime_type": _("must be a date and time (YYYY-MM-DDTHH:MM)"),
    }
    if kind in words:
        try:
            return words[kind].format(**ctx)
        except (KeyError, IndexError):
            return str(err["msg"])
    return str(err["msg"])


def _dotted(key: PathKey) -> str:
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge(f"more than {MAX_NODES} values once aliases are expanded (a YAML bomb?)")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), lines, budget)


class _TooLarge(Exception):
    """The document is within the byte limit but would cost unbounded time or memory to use."""


def _check_shape(text: str) -> None:
    """Depth and alias count from the event stream (iterative, constant memory), before composing.

    libyaml's parser when present; a document it refuses is counted again by
    the pure-Python parser up to the error, which the composing step then
    reports with its better message.
    """
    try:
        _count(yaml.parse(text, Loader=_FastNoDuplicatesLoader))
    except yaml.YAMLError:
        try:
            _count(yaml.parse(text, Loader=_NoDuplicatesLoader))
        except yaml.YAMLError:
            pass


def _count(events: Iterable[yaml.Event]) -> None:
    depth = aliases = 0
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooLarge(f"nested deeper than {MAX_DEPTH} levels (line {event.start_mark.line + 1})")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooLarge(f"more than {MAX_ALIASES} aliases (line {event.start_mark.line + 1}; a YAML bomb?)")


def load_yaml_with_lines(path: Path | str) -> YamlDocument:
    """Parses one YAML file safely; raises ``YamlFileError`` with the line on any problem.

    Only a regular file is read (a FIFO would block forever, ``/dev/zero``
    never ends), and never more than ``MAX_INPUT_BYTES``, whatever its size claims.
    """
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise YamlFileError(path, None, _("not a regular file (a FIFO, device or folder cannot be an input)"))
        if info.st_size > MAX_INPUT_BYTES:
            raise YamlFileError(path, None, _("file is {size} bytes; the limit is {limit}").format(
                size=info.st_size, limit=MAX_INPUT_BYTES))
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise YamlFileError(path, None, _("file is larger than the limit of {limit} bytes").format(
                limit=MAX_INPUT_BYTES))
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(path, None, _("not UTF-8 text ({problem})").format(problem=exc.reason)) from None
    except OSError as exc:
        raise YamlFileError(path, None, exc.strerror or str(exc)) from None
    return parse_yaml_text(text, path)


def parse_yaml_text(text: str, path: Path | str) -> YamlDocument:
    path = Path(path)
    lines: dict[PathKey, int] = {}
    try:
        _check_shape(text)
        try:
            node, data = _compose_and_construct(text, _FastNoDuplicatesLoader)
        except yaml.YAMLError:
            node, data = _compose_and_construct(text, _NoDuplicatesLoader)
        if node is not None:
            _walk(node, (), lines, [MAX_NODES])
    except _TooLarge as exc:
        raise YamlFileError(path, None, _("refused: {problem}").format(problem=exc)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlFileError(path, line, f"{exc.problem or exc}".strip()) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(path, None, str(exc)) from None
    return YamlDocument(path=path, data=data, lines=lines)


def _compose_and_construct(text: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    """One parse: the node tree (for line numbers) and the data constructed from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_shipped(text: str) -> Any:
    """A YAML table shipped with auditor (no line numbers needed): safe loading on libyaml when present."""
    return yaml.load(text, Loader=_FAST_SAFE_LOADER)  # noqa: S506 - a safe loader


_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def validate_mapping(document: YamlDocument, model: type[ModelT], hint: str) -> ModelT:
    """Validates a document whose top level must be a mapping; ``hint`` says what it should contain."""
    if not isinstance(document.data, dict):
        raise YamlFileError(document.path, 1, hint)
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise document.error_from_validation(exc) from None

#!/usr/bin/env python3
"""Checks imaxbench files against the JSON schemas in docs/schema/ (docs/formats.md).

  validate_schemas.py SCHEMA FILE...

Validates each FILE against SCHEMA: a .jsonl file line by line, anything else as one document.
Prints one line per problem (FILE[:LINE]: at PATH: what) and exits 1 when there is any, else 0.

JSON is read as imaxbench reads it: NaN, Infinity and numbers too large for a double are refused,
every line must be UTF-8; JSONL lines end in LF, CRLF or CR, blank lines are skipped and a UTF-8
byte-order mark before the first line is dropped. Needs the jsonschema module, version 4 or later
(Debian: python3-jsonschema, installed by ci/install-deps.sh). Used by tests/cli/format_schemas.sh,
which imports it.
"""
import json
import math
import os
import re
import sys

try:
    import jsonschema.exceptions
    import jsonschema.validators
except ImportError:  # pragma: no cover - reported to the person running it
    sys.exit("validate_schemas.py: the python module jsonschema is missing; run ci/install-deps.sh "
             "(Debian package python3-jsonschema)")


class NotJson(ValueError):
    """A document or line that imaxbench would refuse before any schema applies."""


def _refuse_constant(name):
    raise NotJson("%s is not JSON" % name)


def _finite_float(text):
    value = float(text)
    if math.isinf(value):
        raise NotJson("number %s is too large to represent" % text)
    return value


def loads(text):
    """json.loads that refuses what nlohmann::json refuses: NaN, Infinity, overflowing numbers."""
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as e:
        raise NotJson("not valid JSON: %s" % e) from None


def read_document(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        return loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise NotJson("not UTF-8: %s" % e) from None


_LINE_END = re.compile(rb"\r\n|\r|\n")


def read_jsonl(path):
    """Yields (line_number, value or NotJson) for every non-blank line, numbered as imaxbench does."""
    with open(path, "rb") as f:
        data = f.read()
    lines = _LINE_END.split(data)
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip(b" \t"):
            continue
        try:
            yield number, loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            yield number, NotJson("not UTF-8: %s" % e)
        except NotJson as e:
            yield number, e


def load_schema(path):
    """A validator for the schema file at `path`, after checking the schema itself."""
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    return validator_for_schema(schema)


def validator_for_schema(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def sub_validator(validator, definition):
    """A validator for `#/$defs/<definition>` of an already loaded schema (e.g. one results task)."""
    return validator_for_schema({"$schema": validator.schema["$schema"], "$defs": validator.schema["$defs"],
                                 "$ref": "#/$defs/" + definition})


def problems(validator, instance):
    """Every schema violation of `instance`, as 'at PATH: message' strings (empty when valid)."""
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        # An anyOf/oneOf/if failure says little by itself; name its most specific cause as well.
        best = jsonschema.exceptions.best_match([error])
        where = "/".join(str(p) for p in best.absolute_path) or "(top)"
        message = best.message
        if len(message) > 300:
            message = message[:300] + "..."
        out.append("at %s: %s" % (where, message))
    return out


def check_file(validator, path):
    """Problems of a whole file: a list of 'FILE[:LINE]: ...' strings, empty when valid."""
    out = []
    if path.endswith(".jsonl"):
        count = 0
        for number, value in read_jsonl(path):
            count += 1
            if isinstance(value, NotJson):
                out.append("%s:%d: %s" % (path, number, value))
                continue
            out.extend("%s:%d: %s" % (path, number, p) for p in problems(validator, value))
        if count == 0:
            out.append("%s: no records" % path)
        return out
    try:
        value = read_document(path)
    except NotJson as e:
        return ["%s: %s" % (path, e)]
    return ["%s: %s" % (path, p) for p in problems(validator, value)]


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    validator = load_schema(argv[1])
    bad = []
    for path in argv[2:]:
        if not os.path.isfile(path):
            bad.append("%s: not a file" % path)
            continue
        bad.extend(check_file(validator, path))
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

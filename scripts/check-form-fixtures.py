#!/usr/bin/env python3
"""Check the form fixtures against the form schemas.

For every form key with a schema in schemas/<key>.schema.json and fixtures in
tests/fixtures/forms/<key>/{valid,invalid}/*.json:

  * the schema itself must be a valid draft 2020-12 schema;
  * every valid/ document must produce no error;
  * every invalid/ file is {"description", "data", "expected_errors"}; validating "data"
    must report exactly the set of (instance_path, keyword) pairs in expected_errors, where
    instance_path is a JSON Pointer into data ("" for the root) and keyword is the last
    segment of the error's schema path (required, enum, type, anyOf, ...).

Validation collects all errors (iter_errors) with format checking on, as the server does.
Errors under anyOf/oneOf are reported once, at the anyOf/oneOf itself.

Usage: scripts/check-form-fixtures.py [REPO_ROOT]   (default: the parent of scripts/)
Exit status 0 when everything matches, 1 otherwise.
"""
import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator

FIXTURE_KEYS = {"description", "data", "expected_errors"}


def json_pointer(path):
    """Turn a jsonschema path (deque of str/int) into an RFC 6901 JSON Pointer."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def reported_errors(validator, document):
    """The set of (instance_path, keyword) pairs a validator collecting all errors reports."""
    pairs = set()
    for error in validator.iter_errors(document):
        schema_path = list(error.absolute_schema_path)
        keyword = str(schema_path[-1]) if schema_path else ""
        pairs.add((json_pointer(error.absolute_path), keyword))
    return pairs


def load_json(path):
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def check_valid(validator, path):
    errors = sorted(validator.iter_errors(load_json(path)), key=lambda e: list(e.absolute_path))
    return [f"{json_pointer(e.absolute_path) or '/'}: {e.message}" for e in errors]


def check_invalid(validator, path):
    fixture = load_json(path)
    if not isinstance(fixture, dict) or set(fixture) != FIXTURE_KEYS:
        return [f"fixture must have exactly the keys {sorted(FIXTURE_KEYS)}"]
    if not isinstance(fixture["description"], str) or not fixture["description"].strip():
        return ["fixture needs a non-empty description"]
    expected_list = [(e["instance_path"], e["keyword"]) for e in fixture["expected_errors"]]
    expected = set(expected_list)
    problems = []
    if not expected:
        problems.append("expected_errors is empty")
    if len(expected) != len(expected_list):
        problems.append("expected_errors lists the same error twice")
    actual = reported_errors(validator, fixture["data"])
    for pointer, keyword in sorted(expected - actual):
        problems.append(f"expected but not reported: {pointer or '(root)'} {keyword}")
    for pointer, keyword in sorted(actual - expected):
        problems.append(f"reported but not expected: {pointer or '(root)'} {keyword}")
    return problems


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    fixtures_root = root / "tests" / "fixtures" / "forms"
    failures = 0
    checked = 0
    form_dirs = sorted(d for d in fixtures_root.iterdir() if d.is_dir()) if fixtures_root.is_dir() else []
    if not form_dirs:
        print(f"no fixtures under {fixtures_root}")
        return 1
    if "uri" not in Draft202012Validator.FORMAT_CHECKER.checkers:
        print("note: python-jsonschema has no 'uri' format checker here (needs rfc3987); "
              "uri formats are not checked by this script")
    for form_dir in form_dirs:
        schema_path = root / "schemas" / f"{form_dir.name}.schema.json"
        if not schema_path.is_file():
            print(f"FAIL {form_dir.name}: no schema at {schema_path.relative_to(root)}")
            failures += 1
            continue
        schema = load_json(schema_path)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        counts = {}
        for kind, check in (("valid", check_valid), ("invalid", check_invalid)):
            files = sorted((form_dir / kind).glob("*.json"))
            counts[kind] = len(files)
            for path in files:
                checked += 1
                problems = check(validator, path)
                if problems:
                    failures += 1
                    print(f"FAIL {path.relative_to(root)}")
                    for problem in problems:
                        print(f"     {problem}")
        print(f"{form_dir.name}: {counts['valid']} valid, {counts['invalid']} invalid fixtures")
        if counts["valid"] == 0 or counts["invalid"] == 0:
            print(f"FAIL {form_dir.name}: needs both valid and invalid fixtures")
            failures += 1
    print(f"{checked} fixtures checked, {failures} failing")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

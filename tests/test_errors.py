"""One error tree: every class in `edugraph.errors` declares its exit code and HTTP status,
and each surface reports it by them (the CLI's group, the web's error handler)."""

from __future__ import annotations

import inspect

import click
import pytest
from click.testing import CliRunner
from flask import Flask

from edugraph import errors
from edugraph.cli import Commands
from edugraph.errors import EdugraphError
from edugraph.web import http

EXPECTED = {  # class: (exit code, HTTP status)
    "EdugraphError": (2, 500),
    "InputError": (2, 500),
    "UnsupportedShape": (2, 500),
    "ConfigError": (2, 500),
    "QueryError": (2, 400),
    "NotAcceptable": (2, 406),
    "NotFound": (2, 404),
    "ValidationFailed": (1, 500),
    "Unanswered": (3, 503),
    "QueryTimeout": (3, 504),
    "QueryAborted": (3, 503),
    "Overloaded": (3, 503),
    "TooManyQueries": (3, 429),
    "Unavailable": (3, 503),
    "StoreError": (3, 502),
    "StoreTimeout": (3, 504),
    "PushError": (3, 502),
}
CLASSES = [
    cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, EdugraphError)
]


def test_every_error_class_lives_in_errors_and_is_declared() -> None:
    assert {cls.__name__ for cls in CLASSES} == set(EXPECTED)
    assert all(cls.__module__ == "edugraph.errors" for cls in CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_cli_exits_with_the_class_code_and_one_line(cls: type[EdugraphError]) -> None:
    @click.group(cls=Commands)
    def group() -> None:
        pass

    @group.command("fail")
    def fail() -> None:
        raise cls("it went wrong", source="x.trig", line=3)

    result = CliRunner().invoke(group, ["fail"])
    assert result.exit_code == EXPECTED[cls.__name__][0]
    assert result.stderr == "Error: x.trig:3: it went wrong\n"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_http_answers_with_the_class_status_as_json(cls: type[EdugraphError]) -> None:
    app = Flask(__name__)
    http.install(app, seed="test")

    @app.post("/fail")
    def fail() -> str:
        raise cls("it went wrong")

    response = app.test_client().post("/fail", headers={"Accept": "application/json"})
    status = EXPECTED[cls.__name__][1]
    assert response.status_code == status
    assert response.get_json() == {"error": "it went wrong", "status": status}
    assert ("Retry-After" in response.headers) == (status in (429, 503))

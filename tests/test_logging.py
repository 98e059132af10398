"""Structured logs: one JSON object a line in production."""

from __future__ import annotations

import io
import json
import logging

from forum.log import JSONFormatter


def _log(**kwargs: object) -> dict[str, object]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("agora.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.error("e-mail %s not sent", 12, exc_info=True, **kwargs)
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    return json.loads(line)


def test_a_record_is_one_json_line_with_its_extras_and_error():
    entry = _log(extra={"email_id": 12, "to": ["a@example.com"]})
    assert entry["level"] == "ERROR" and entry["logger"] == "agora.test.json"
    assert entry["message"] == "e-mail 12 not sent"
    assert entry["email_id"] == 12 and entry["to"] == ["a@example.com"]
    assert "RuntimeError: boom" in entry["error"]
    assert entry["time"].endswith("+00:00")


def test_a_request_in_the_record_is_reduced_to_method_and_path(rf):
    entry = _log(extra={"request": rf.get("/topic/1-x/"), "status_code": 404})
    assert entry["request"] == "GET /topic/1-x/" and entry["status_code"] == 404

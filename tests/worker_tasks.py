"""Tasks used only by the tests of forum/tasks.py and by the worker integration test.

They are module-level functions (as every task must be) that leave their
trace in a file, so a test can see what a worker in another process did.
"""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from forum.tasks import retrying


@task()
def write_marker(path: str, text: str) -> str:
    """Append ``text`` to the file ``path``."""
    with Path(path).open("a") as handle:
        handle.write(text + "\n")
    return text


@task()
@retrying(attempts=3, delays=(1,))
def flaky_write(path: str, text: str) -> str:
    """Fail the first time (leaving a mark), then append ``text``: a task that needs a retry."""
    marker = Path(path + ".failed-once")
    if not marker.exists():
        marker.write_text("1")
        raise ConnectionError("the first attempt fails")
    with Path(path).open("a") as handle:
        handle.write(text + "\n")
    return text


@task()
@retrying(attempts=2, delays=(1,))
def always_fails(path: str) -> None:
    """Count its attempts in ``path``, and always fail."""
    with Path(path).open("a") as handle:
        handle.write("attempt\n")
    raise ConnectionError("this task always fails")

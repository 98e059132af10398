from __future__ import annotations

from typing import Any

import pytest

from tests.factories import default_reaction_types


@pytest.fixture
def types(db: Any) -> dict[str, Any]:
    """The default reaction types, by name."""
    return default_reaction_types()

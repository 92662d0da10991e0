from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User


def _staff(username: str, group: str) -> User:
    user = User.objects.create_user(username, email=f"{username}@staff.example", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db) -> User:
    """A member of Editors: writes articles and submits them for review."""
    return _staff("editor", "Editors")


@pytest.fixture
def publisher(db) -> User:
    """A member of Publishers: reviews and publishes."""
    return _staff("publisher", "Publishers")

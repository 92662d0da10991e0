from __future__ import annotations

import threading

import pytest
from django.db import connection

from contact import services
from contact.models import ContactMessage
from contact.services import contact_message_create, new_reference, normalize_reference
from tests.factories import BrandFactory, ContactMessageFactory


def create(brand, n: int = 0) -> ContactMessage:
    return contact_message_create(
        brand=brand,
        topic="other",
        name="张三",
        email=f"u{n}@mail.example",
        subject="退款",
        message="没有到账",
    )


@pytest.mark.django_db
def test_reference_collision_is_retried(monkeypatch):
    brand = BrandFactory(slug="kdpay")
    ContactMessageFactory(brand=brand, reference="KD-AAAA-AAAA")
    candidates = iter(["KD-AAAA-AAAA", "KD-AAAA-AAAA", "KD-BBBB-BBBB"])
    monkeypatch.setattr(services, "new_reference", lambda brand: next(candidates))
    message = create(brand)
    assert message.reference == "KD-BBBB-BBBB"
    assert ContactMessage.objects.count() == 2


@pytest.mark.django_db
def test_reference_uniqueness_is_enforced_by_the_database():
    from django.db import IntegrityError, transaction

    ContactMessageFactory(reference="KD-AAAA-AAAA")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactMessageFactory(reference="KD-AAAA-AAAA")


def test_references_are_random_and_use_crockford_base32():
    brand = BrandFactory.build(slug="okpay")
    references = {new_reference(brand) for _ in range(2000)}
    assert len(references) == 2000
    alphabet = set(services.ALPHABET)
    assert all(ref.startswith("OK-") and set(ref[3:].replace("-", "")) <= alphabet for ref in references)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kd-7f3k-9q2m", "KD-7F3K-9Q2M"),
        ("KD 7F3K 9Q2M", "KD-7F3K-9Q2M"),
        ("KD-IL0O-9Q2M", "KD-1100-9Q2M"),
        ("KD", ""),
    ],
)
def test_normalize_reference(typed, expected):
    assert normalize_reference(typed) == expected


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_under_concurrent_submissions(monkeypatch):
    """Threads with their own connections insert at once; a tiny alphabet forces real collisions."""
    brand = BrandFactory(slug="kdpay")
    # 16 possible references for 12 messages: collisions are certain and must be retried.
    pool = [f"KD-AAAA-AA{a}{b}" for a in "0123" for b in "0123"]
    import random

    monkeypatch.setattr(services, "new_reference", lambda brand: random.choice(pool))
    monkeypatch.setattr(services, "REFERENCE_ATTEMPTS", 200)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)
    # PostgreSQL only: it takes the writers truly in parallel. The SQLite test database is a
    # shared in-memory one whose table locks fail instead of waiting (the file database in
    # settings queues writers with IMMEDIATE transactions), so writers there could only take
    # turns and no two inserts could ever race.

    def worker(offset: int) -> None:
        try:
            barrier.wait()
            for n in range(3):
                create(brand, offset * 10 + n)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(ContactMessage.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 12

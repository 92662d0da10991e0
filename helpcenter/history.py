"""Revision history (django-reversion) read and restored for people: what changed in each saved
version, field by field with the text differences, and a restore that is itself a new revision.

Articles, channels (with their opening hours and exceptions) and scam alerts are registered by
their admins (helpcenter/history_admin.py); every save through the admin stores one revision
with its author and time."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion.models import Version

#: How many revisions the history page shows, newest first.
HISTORY_LIMIT = 50


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    #: For multi-line text: the changed lines as ("-" or "+" or " ", text), else empty.
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class HistoryEntry:
    version: Version
    changes: list[FieldChange]
    #: Rows saved with it (a channel's opening hours): what was added and removed since the one before.
    added: list[str]
    removed: list[str]
    is_first: bool
    is_current: bool


def _display(model: type[Model], name: str, value, names: dict) -> str:
    """A stored value as a person reads it: choice labels, related objects' names, lists joined."""
    model_field = _field_by_attname(model, name)
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.ManyToManyField | models.ForeignKey):
        related = model_field.related_model
        pks = value if isinstance(value, list) else [value]
        labels = [names.setdefault((related, pk), _name_of(related, pk)) for pk in pks]
        return ", ".join(sorted(labels)) or "—"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _name_of(model: type[Model], pk) -> str:
    obj = model._default_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else f"#{pk}"


def _field_by_attname(model: type[Model], attname: str) -> models.Field | None:
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if model_field.attname == attname:
            return model_field
    return None


def _label(model: type[Model], attname: str) -> str:
    model_field = _field_by_attname(model, attname)
    return str(model_field.verbose_name) if model_field is not None else attname


def field_changes(model: type[Model], old: dict, new: dict, names: dict | None = None) -> list[FieldChange]:
    """What differs between two stored versions of one object (field_dict), in field order."""
    names = {} if names is None else names
    changes = []
    for name, new_value in new.items():
        old_value = old.get(name)
        if isinstance(new_value, list) and isinstance(old_value, list):
            if sorted(map(str, old_value)) == sorted(map(str, new_value)):
                continue
        elif old_value == new_value:
            continue
        change = FieldChange(
            _label(model, name),
            _display(model, name, old_value, names),
            _display(model, name, new_value, names),
        )
        if isinstance(new_value, str) and ("\n" in new_value or "\n" in (old_value or "")):
            change.lines = text_diff(old_value or "", new_value)
        changes.append(change)
    return changes


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The changed lines of a text with one line of context around each change."""
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
    lines = []
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("…", ""))
            continue
        lines.append((line[:1] or " ", line[1:]))
    return lines


def _followed(version: Version) -> set[str]:
    """The other rows saved in the same revision (a channel's hours), as their names."""
    return {
        f"{other.content_type.name}: {other.object_repr}"
        for other in version.revision.version_set.all()
        if other.pk != version.pk
    }


def history(obj: Model, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The object's stored versions, newest first, each with what changed since the one before."""
    versions = list(
        Version.objects.get_for_object(obj)
        .select_related("revision__user", "content_type")
        .prefetch_related("revision__version_set__content_type")[: limit + 1]
    )
    names: dict = {}
    entries = []
    for index, version in enumerate(versions[:limit]):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        old = previous.field_dict if previous is not None else {}
        followed, followed_before = _followed(version), _followed(previous) if previous else set()
        entries.append(
            HistoryEntry(
                version=version,
                changes=field_changes(type(obj), old, version.field_dict, names) if previous else [],
                added=sorted(followed - followed_before) if previous else [],
                removed=sorted(followed_before - followed) if previous else [],
                is_first=previous is None,
                is_current=index == 0,
            )
        )
    return entries


def restore(version: Version, *, user, keep: tuple[str, ...] = ()) -> Model:
    """Put the object back as `version` stored it, except the fields in `keep` (an article keeps
    its publishing status), with the rows saved alongside it (a channel's opening hours), and
    store that as a new revision by `user`. Ordinary saves, so derived columns are recomputed."""
    model = version._model
    with transaction.atomic(), reversion.create_revision():
        obj = model._default_manager.select_for_update().get(pk=version.object_id)
        many = {}
        for name, value in version.field_dict.items():
            if name in keep or name == model._meta.pk.attname:
                continue
            model_field = _field_by_attname(model, name)
            if isinstance(model_field, models.ManyToManyField):
                # Links to rows deleted since (a tag) are dropped rather than failing the restore.
                many[name] = model_field.related_model._default_manager.filter(pk__in=value)
            else:
                setattr(obj, name, value)
        # Checked like a form would (a slug another article has taken since): a ValidationError.
        obj.full_clean()
        # Related rows first: saving `obj` then records them as they are after the restore.
        _restore_followed(obj, version)
        obj.save()
        for name, value in many.items():
            getattr(obj, name).set(value)
        reversion.set_user(user)
        when = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
        reversion.set_comment(_("Restored the version of %(date)s.") % {"date": when})
        reversion.add_to_revision(obj)
    return obj


def _restore_followed(obj: Model, version: Version) -> None:
    """The related rows saved with `version` come back; related rows added since are deleted."""
    others = [other for other in version.revision.version_set.all() if other.pk != version.pk]
    kept = {(other.content_type_id, str(other.object_id)) for other in others}
    managers = [getattr(obj, name) for name in reversion.revisions._get_options(type(obj)).follow]
    for manager in managers:
        content_type = ContentType.objects.get_for_model(manager.model)
        manager.exclude(pk__in=[pk for ct, pk in kept if ct == content_type.pk]).delete()
    followed_models = {manager.model for manager in managers}
    for other in others:
        if other._model in followed_models:
            other._object_version.object.save()

"""Search and reference indexing that a bulk write can put off until it has committed.

Wagtail indexes every saved object twice, one object at a time: modelsearch's post_save handler
(the search index) and Wagtail's (the reference index, the admin's "usage" counts). For an
import of thousands of merchants that is most of the time spent per row. Inside `deferred()`
neither runs; the objects saved are collected instead, and once the transaction commits one
task indexes them all, the search index in bulk (`backend.add_bulk`).

The search half needs the model's own handler, not modelsearch's, which cannot be told to wait:
a model opts in with `search_auto_update = False` (modelsearch then leaves it alone) and
`connect(Model)` in its app's ready(); outside `deferred()` it behaves as modelsearch would."""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from modelcluster.models import get_all_child_relations
from modelsearch import index
from modelsearch.backends import get_search_backends
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

_state = threading.local()


def _collected() -> dict[str, dict[str, set]] | None:
    return getattr(_state, "collected", None)


@contextmanager
def deferred():
    """Index what is saved inside, after the surrounding transaction commits, in one task.
    Nested uses join the outermost."""
    if _collected() is not None:
        yield
        return
    _state.collected = collected = {"search": defaultdict(set), "references": defaultdict(set)}
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        del _state.collected
    search = {label: sorted(pks) for label, pks in collected["search"].items()}
    references = {label: sorted(pks) for label, pks in collected["references"].items()}
    if search or references:
        # robust: the rows are committed; an index that fails is logged (update_index mends it),
        # it does not turn the import into an error.
        transaction.on_commit(lambda: index_objects.enqueue(search, references), robust=True)


def _label(instance) -> str:
    return instance._meta.label


def _saved(sender, instance, raw=False, **kwargs):
    """post_save of a model that connect()ed: index now (as modelsearch would) or later."""
    if raw:
        return
    collected = _collected()
    if collected is None:
        insert_or_update_object_task.enqueue(
            instance._meta.app_label, instance._meta.model_name, str(instance.pk)
        )
    else:
        collected["search"][_label(instance)].add(instance.pk)


def _deleted(sender, instance, **kwargs):
    index.remove_object(instance)


def _saved_any(sender, instance, raw=False, **kwargs):
    """Whatever the reference index would have recorded while it was switched off."""
    collected = _collected()
    if collected is not None and not raw and ReferenceIndex.is_indexed(type(instance)):
        collected["references"][_label(instance)].add(instance.pk)


def connect(*models) -> None:
    for model in models:
        if getattr(model, "search_auto_update", True):
            raise ValueError(f"{model.__name__} must set search_auto_update = False")
        post_save.connect(_saved, sender=model, dispatch_uid=f"indexing-save-{model._meta.label}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"indexing-delete-{model._meta.label}"
        )
    post_save.connect(_saved_any, dispatch_uid="indexing-references")


def add_bulk(model, pks) -> None:
    """Objects of `model` into every search backend in one go (a query or two per model)."""
    objects = list(model.get_indexed_objects().filter(pk__in=pks))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)


@task()
def index_objects(search: dict[str, list], references: dict[str, list]) -> str:
    """The search index (in bulk, per backend) and the reference index for the objects saved
    inside one deferred() block; objects deleted since are skipped."""
    for label, pks in search.items():
        add_bulk(apps.get_model(label), pks)
    with transaction.atomic():  # one commit, not two per object
        for label, pks in references.items():
            model = apps.get_model(label)
            # The index reads every child relation of every object: a query each, unless
            # prefetched here for all of them at once.
            children = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
            for obj in model.objects.filter(pk__in=pks).prefetch_related(*children):
                ReferenceIndex.create_or_update_for_object(obj)
    counts = sum(map(len, search.values())), sum(map(len, references.values()))
    return "search {}, references {}".format(*counts)

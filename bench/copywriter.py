"""Write model instances the fastest way the database offers: PostgreSQL COPY, else bulk_create.

The instances are the same ones bulk_create would insert (explicit primary keys; auto_now fields through
their own pre_save; JSON as JSON text; other non-trivial fields through get_db_prep_save), so the rows are
identical; COPY only skips the INSERT statements' parsing and the per-batch round trips. Used by
bench/generate.py for the full-scale data set."""
import json
from contextlib import contextmanager

from django.db import connection, models
from viewflow.fsm import FSMField

#: Field classes whose Python value psycopg writes as it is (no conversion by Django needed).
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BigIntegerField, models.BooleanField,
          models.DateTimeField, models.DateField, models.DecimalField, models.AutoField, models.BigAutoField,
          models.PositiveIntegerField, models.PositiveSmallIntegerField, models.SmallIntegerField)


def _converter(field):
    """A function obj -> database value for `field`, as cheap as the field allows."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, True)
    if isinstance(field, models.JSONField):
        return lambda obj: json.dumps(getattr(obj, attname), ensure_ascii=False, cls=field.encoder)
    if isinstance(field, models.ForeignKey) or type(field) in _PLAIN or type(field) is FSMField:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def copy_rows(table, columns, rows):
    """COPY plain tuples into `table` (PostgreSQL only)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def write(model, objs, *, overrides=None, batch_size=1000):
    """Insert `objs` of `model`. overrides: {column attname: {pk: value}} replacing a field's value per row
    (the generator sets the lifecycle state of items this way; the FSM field refuses assignment)."""
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        for attname, by_pk in (overrides or {}).items():
            for value in set(by_pk.values()):
                model.objects.filter(pk__in=[pk for pk, v in by_pk.items() if v == value]).update(**{attname: value})
        return len(objs)
    fields = list(model._meta.concrete_fields)
    if objs[0].pk is None:  # the database numbers the rows (e.g. task links)
        fields = [f for f in fields if not f.primary_key]
    overrides = overrides or {}
    convert = []
    for f in fields:
        plain = _converter(f)
        by_pk = overrides.get(f.attname)
        if by_pk is not None:
            convert.append(lambda obj, plain=plain, by_pk=by_pk: by_pk[obj.pk] if obj.pk in by_pk else plain(obj))
        else:
            convert.append(plain)
    copy_rows(model._meta.db_table, [f.column for f in fields], ([c(obj) for c in convert] for obj in objs))
    return len(objs)


@contextmanager
def indexes_built_after(tables):
    """Bulk-load pattern on PostgreSQL: drop the plain (non-constraint) indexes of `tables`, let the body load
    the rows, then create the same indexes again (one sort per index instead of one insertion per row).
    Constraint indexes (primary keys, unique) stay, so duplicates are still refused while loading."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(tables)])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)

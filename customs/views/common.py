"""What the customs pages share: who may open them, whose documents a user files, query strings."""

import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode

from customs.selectors.pages import authorising_sellers_of
from portal.choices import Role

ENTERPRISE = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)
OFFICERS = (Role.CUSTOMS_OFFICER,)
LINE_PATH = re.compile(r"^(?P<coll>items|lines)\[(?P<index>\d+)\]\.(?P<name>\w+)$")


def owners_for(user, document_type: str) -> list:
    """The enterprises ``user`` files ``document_type`` for: their own, then the sellers that authorise it."""
    org = user.organisation
    if org is None:
        return []
    return [org, *authorising_sellers_of(org, document_type)]


def detail_url(name: str):
    """``pk -> reverse(name, args=[pk])`` for a table of rows: reversed once, the id put into its place (a
    ``reverse`` costs about as much as the rest of a row; a page of 50 rows did 50 of them)."""
    marker = "987654321"
    head, tail = reverse(name, args=[marker]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


def int_param(request, name: str):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def query_without(request, *names) -> str:
    """The request's query string without ``names`` (to add a page key or another status to it)."""
    return urlencode([(k, v) for k, v in request.GET.items() if k not in names and v])


def apply_errors(exc: ValidationError, form, formset=None, positions=()) -> None:
    """A service's ``ValidationError`` on the page: ``items[i].field`` on line ``positions[i]`` of the
    formset, a head field on ``form``, anything else on top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        messages = [m for e in errors for m in e.messages]
        line = LINE_PATH.match(key)
        if line and formset is not None and int(line["index"]) < len(positions):
            target = formset.forms[positions[int(line["index"])]]
            name = line["name"]
            target.add_error(name if name in target.fields else None, messages)
            if hasattr(target, "describe_inputs"):
                target.describe_inputs()
        elif key in form.fields:
            form.add_error(key, messages)
        else:
            form.add_error(None, messages)
    if hasattr(form, "describe_inputs"):
        form.describe_inputs()

"""Make the existing rows fit the account rules before their constraints come in (ADR 0022).

* Usernames: stored NFKC-normalised from now on. An existing name whose normalised form is free is renamed
  to it (a full-width ``ｓｅｌｌｅｒ`` could not log in anyway: the login form normalises what is typed); one
  whose normalised form is another user's is left as it is, for an administrator to rename.
* ``username_key``: each user's look-alike skeleton. When an older user already has the same skeleton, the
  younger keeps ``<skeleton>#<pk>`` so the unique index holds; both accounts go on working, and no new name
  can take that skeleton.
* Email addresses: among the active accounts sharing one address (case-insensitively), the oldest keeps it
  in the unique index; the others are marked ``email_shared`` and stay outside it until they choose another
  address (the profile page asks them to). Nothing is deleted or rewritten, and password reset still reaches
  every account of the address, as before.

Reversing clears the marks and keys; renamed usernames stay renamed (they were unusable before).
"""

import unicodedata

from django.db import migrations


def forwards(apps, schema_editor):
    from portal.accounts import username_skeleton

    User = apps.get_model("portal", "User")
    taken = set(User.objects.values_list("username", flat=True))
    keys: set[str] = set()
    for user in User.objects.order_by("pk").only("pk", "username"):
        normalised = unicodedata.normalize("NFKC", user.username).strip()
        if normalised != user.username and normalised and normalised not in taken:
            taken.discard(user.username)
            taken.add(normalised)
            user.username = normalised
        key = username_skeleton(user.username)
        if key in keys:
            key = f"{key}#{user.pk}"
        keys.add(key)
        User.objects.filter(pk=user.pk).update(username=user.username, username_key=key)

    holders: set[str] = set()
    active = User.objects.filter(is_active=True).exclude(email="").order_by("pk").only("pk", "email")
    for user in active:
        address = user.email.strip().lower()
        if address in holders:
            User.objects.filter(pk=user.pk).update(email_shared=True)
        holders.add(address)


def backwards(apps, schema_editor):
    User = apps.get_model("portal", "User")
    User.objects.update(username_key="", email_shared=False)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_username_key_and_email_shared"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

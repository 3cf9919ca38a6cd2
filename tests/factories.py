"""factory_boy factories for the shell's models. Domain apps add theirs in their own test packages."""

import factory
from django.contrib.auth.models import Group

from portal.identifiers import make_uscc
from portal.models import Organisation, User

PASSWORD = "correct-horse-battery-staple"


def _uscc(n: int) -> str:
    """A valid USCC for enterprise number ``n`` (Hangzhou division)."""
    return make_uscc("91", "330100", f"{n:08d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = "ENTERPRISE"
    code = factory.Sequence(lambda n: _uscc(n + 1000))
    name_cn = factory.Sequence(lambda n: f"杭州测试电子商务有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Hangzhou Test E-commerce Co {n}")
    division_code = "330100"


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = "COMMERCE"
    code = factory.Sequence(lambda n: f"GOV-{n}")
    name_cn = factory.Sequence(lambda n: f"政府部门{n}")
    division_code = "330000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    organisation = factory.SubFactory(EnterpriseFactory)
    language = "zh-hans"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(Group.objects.get(name=extracted))

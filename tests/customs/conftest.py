import pytest

from customs.selectors.reference import invalidate

HS_HEADER = (
    "# source: test tariff\n# edition: test\n"
    "code,name_cn,name_en,unit1,unit2,refund_rate,export_duty,supervision,inspection,valid_from,valid_to\n"
)


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    invalidate()
    yield
    invalidate()


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv("name.csv", text)`` writes a UTF-8 file in a temporary folder and returns its path."""

    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def seller(db):
    from tests.customs.builders import SELLER_CODE
    from tests.customs.parties import enterprise

    return enterprise(SELLER_CODE, name="测试卖家")


@pytest.fixture
def seller_user(seller):
    from tests.customs.parties import user_of

    return user_of(seller)


@pytest.fixture
def platform(db):
    from registration.choices import EntityType, Subtype
    from tests.customs.builders import PLATFORM_CODE
    from tests.customs.parties import enterprise

    return enterprise(
        PLATFORM_CODE, entity_type=EntityType.SERVICE, subtype=Subtype.PLATFORM, name="测试平台"
    )


@pytest.fixture
def logistics(db):
    from registration.choices import EntityType, Subtype
    from tests.customs.builders import LOGISTICS_CODE
    from tests.customs.parties import enterprise

    return enterprise(
        LOGISTICS_CODE, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS, name="测试物流"
    )


@pytest.fixture
def payer(db):
    from registration.choices import EntityType, Subtype
    from tests.customs.builders import PAYMENT_CODE
    from tests.customs.parties import enterprise

    return enterprise(PAYMENT_CODE, entity_type=EntityType.SERVICE, subtype=Subtype.PAYMENT, name="测试支付")


@pytest.fixture
def broker(db):
    from registration.choices import EntityType, Subtype
    from tests.customs.builders import AGENT_CODE
    from tests.customs.parties import enterprise

    return enterprise(
        AGENT_CODE, entity_type=EntityType.SERVICE, subtype=Subtype.CUSTOMS_BROKER, name="测试报关行"
    )


@pytest.fixture
def authorise(db):
    """``authorise(seller, agent, document_type, **times)`` writes a SellerAuthorisation."""
    from datetime import timedelta

    from django.utils import timezone

    from customs.models import SellerAuthorisation

    def make(seller, agent, document_type, *, valid_from=None, valid_until=None):
        return SellerAuthorisation.objects.create(
            seller=seller,
            agent=agent,
            document_type=document_type,
            valid_from=valid_from or timezone.now() - timedelta(days=1),
            valid_until=valid_until,
        )

    return make


@pytest.fixture
def celery_eager():
    """Run Celery tasks in-process when they are published (the app reads this flag at publish time)."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous

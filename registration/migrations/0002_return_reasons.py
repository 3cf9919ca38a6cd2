"""Seed the managed picklist of reasons for returning a filing for correction (supervisors edit it later)."""

from django.db import migrations

REASONS = [
    ("LICENCE_ILLEGIBLE", "营业执照扫描件不清晰或不完整", "The business licence scan is illegible or incomplete"),
    ("NAME_MISMATCH", "主体名称与营业执照不一致", "The name differs from the business licence"),
    ("USCC_MISMATCH", "统一社会信用代码与营业执照不一致", "The credit code differs from the business licence"),
    ("LEGAL_REP_MISMATCH", "法定代表人信息与身份证件不一致", "The legal representative's details differ from the ID document"),
    ("AUTHORISATION_MISSING", "缺少或未签章授权委托书", "The authorisation letter is missing or not signed and sealed"),
    ("ADDRESS_DIVISION", "注册地址不完整或与行政区划不符", "The address is incomplete or does not match the division code"),
    ("CONTACT_INVALID", "联系人或联系方式无效", "The contact person or contact details are invalid"),
    ("PLATFORM_URL", "平台网址无法访问或与申报主体不符", "The platform address is unreachable or belongs to someone else"),
    ("SERVICE_SCOPE", "服务范围与营业执照经营范围不符", "The service scopes do not match the licensed business scope"),
    ("PAYMENT_LICENCE", "支付业务许可证信息有误", "The payment business licence details are wrong"),
    ("OTHER", "其他（见审核意见）", "Other (see the reviewer's note)"),
]


def seed(apps, schema_editor):
    ReturnReason = apps.get_model("registration", "ReturnReason")
    for order, (code, zh, en) in enumerate(REASONS, start=1):
        ReturnReason.objects.update_or_create(
            code=code, defaults={"label_zh": zh, "label_en": en, "order": order * 10, "active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("registration", "ReturnReason").objects.filter(code__in=[r[0] for r in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

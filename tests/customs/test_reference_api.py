"""``/api/v1/customs/reference/<list>/`` through the kit (tests/kit/api.py): one endpoint per code list, read
by every signed-in user; the searches, dates and errors are in test_reference_pages.py."""

from datetime import date, timedelta

from customs.selectors.reference import model_of
from tests.kit.api import EndpointTests

COMMON = {"code", "name_cn", "name_en", "valid_from", "valid_to"}
HS = {*COMMON, "unit1", "unit2", "refund_rate", "refund_eligible", "export_duty", "supervision", "inspection",
      "needs_licence", "legal_inspection"}  # fmt: skip
SHAPES = {
    "customs_offices": {*COMMON, "district", "is_port", "inferred"},
    "supervised_sites": {*COMMON, "customs_office"},
    "countries": {*COMMON, "iso2", "iso3", "iso_numeric"},
    "currencies": {*COMMON, "iso", "note"},
    "transport_modes": COMMON,
    "package_types": COMMON,
    "units": COMMON,
    "hs": HS,
}
# Required columns beyond the common ones, for the rows the query-count test adds.
REQUIRED = {
    "customs_offices": {"district": "2900"},
    "supervised_sites": {"customs_office": "2900"},
    "currencies": {"iso": "XTS"},
    "hs": {"unit1": "007"},
}
MARK = "KITROW"  # in the names of the added rows, so that ``q`` answers exactly them


class ReferenceListTests(EndpointTests):
    list_name = ""
    max_queries = 4  # count and page; reference data needs no permission look-up

    def make_rows(self, n):
        """``n`` more editions of one code (one character: every list's code fits) named with ``MARK``."""
        model = model_of(self.list_name)
        start = date(1990, 1, 1) + timedelta(days=model.objects.filter(name_en__contains=MARK).count())
        model.objects.bulk_create(
            model(
                code="9",
                name_cn=f"测试{MARK}",
                name_en=MARK,
                valid_from=start + timedelta(days=i),
                valid_to=start + timedelta(days=i),
                **REQUIRED.get(self.list_name, {}),
            )
            for i in range(n)
        )
        return {"q": MARK, "all_editions": "true"}


# One test class per list, named as pytest collects it: TestHsReferenceApi, TestCountriesReferenceApi, ...
for _name, _shape in SHAPES.items():
    _cls = f"Test{''.join(part.title() for part in _name.split('_'))}ReferenceApi"
    _attrs = {"url": f"/api/v1/customs/reference/{_name}/", "list_name": _name, "shape": _shape}
    globals()[_cls] = type(_cls, (ReferenceListTests,), {**_attrs, "__module__": __name__})

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

import pytest

from cafcases.text import search_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Éléonore-Ça", "eleonore ca"),
        ("Yılmaz", "yilmaz"),
        ("Øyvind Łukasz", "oyvind lukasz"),
        ("Đorđević", "dordevic"),
        ("STRAßE", "strasse"),
        ("Cœur", "coeur"),
        ("N'Diaye  Ben-Ali", "n diaye ben ali"),
        ("", ""),
    ],
)
def test_search_key_folds_accents_case_and_separators(name, key):
    assert search_key(name) == key

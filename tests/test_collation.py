"""The one Vietnamese sort key (core.text.collation_key) used by every list of units."""

from __future__ import annotations

from chiso.core.text import collation_key


def test_letters_decide_before_tones():
    assert sorted(["Bình", "Bạch", "Bông"], key=collation_key) == ["Bạch", "Bình", "Bông"]


def test_a_digraph_sorts_by_its_letters():
    assert sorted(["Chiêm Hóa", "Cán Tỷ"], key=collation_key) == ["Cán Tỷ", "Chiêm Hóa"]


def test_vietnamese_letters_follow_their_base_letter():
    words = ["Đông", "Dương", "Ân", "Ăn", "An", "Ô", "Ơ", "O", "Ưng", "Uy", "Ê", "Em"]
    assert sorted(words, key=collation_key) == ["An", "Ăn", "Ân", "Dương", "Đông", "Em", "Ê", "O", "Ô", "Ơ", "Uy", "Ưng"]


def test_tones_in_dictionary_order_when_letters_are_equal():
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả"], key=collation_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_numbers_by_value_and_case_and_spacing_do_not_change_the_letters():
    assert sorted(["Phường 10", "Phường 2", "phường 1"], key=collation_key) == ["phường 1", "Phường 2", "Phường 10"]
    assert collation_key("Sở  Nội vụ")[0] == collation_key("sở nội vụ")[0]


def test_composed_and_decomposed_text_sort_alike():
    import unicodedata

    assert collation_key(unicodedata.normalize("NFD", "Hà Giang")) == collation_key("Hà Giang")

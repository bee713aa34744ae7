"""Vietnamese alphabetical order for lists of people and units."""

from chiso.core.text import collation_key


def test_vietnamese_letters_sort_in_the_alphabets_order_and_tones_only_break_ties():
    words = ["Ư", "Đào", "Dung", "ăn", "an", "ân", "bà", "ba", "bạ", "bá", "Út", "Uyên", "Yến", "Xuân"]
    assert sorted(words, key=collation_key) == [
        "an", "ăn", "ân", "ba", "bà", "bá", "bạ", "Dung", "Đào", "Út", "Uyên", "Ư", "Xuân", "Yến"]

"""Repair stage: each test pins one defect with the smallest input that shows it."""

from __future__ import annotations

from pipeline.records import Char, Line
from pipeline.repair import UNRESOLVED, repair_lines
from pipeline.repair.radicals import fold_radicals
from pipeline.repair.text_fixes import fix_encoding


def chars(text: str, x: float = 10.0, size: float = 10.0, font: str = "Body", step: float | None = None) -> list[Char]:
    step = size if step is None else step
    return [Char(t, font, size, x + i * step, 100.0, x + i * step + size, 100.0 + size, 0) for i, t in enumerate(text)]


def repaired_text(line_chars: list[Char]) -> tuple[str, list]:
    lines, repairs = repair_lines([Line(chars=line_chars, page=0)])
    return lines[0].text, repairs


def test_kangxi_radical_mapped_back_to_kanji():
    text, repairs = repaired_text(chars("⽇本の⾃動⾞"))
    assert text == "日本の自動車"
    assert {r.rule for r in repairs} == {"radical_to_ideograph"}
    assert len(repairs) == 3


def test_radical_supplement_long_to_kanji_without_nfkc():
    assert fold_radicals("⻑期") == "長期"
    # what blanket NFKC would break stays as it is
    assert fold_radicals("①㈱ＡＢＣ１２３理") == "①㈱ＡＢＣ１２３理"


def test_cid_placeholder_kept_visible_as_replacement_character():
    line = chars("ab") + [Char("(cid:123)", "Broken", 10.0, 30.0, 100.0, 40.0, 110.0, 0)]
    text, repairs = repaired_text(line)
    assert text == "ab" + UNRESOLVED
    assert repairs[-1].raw == "(cid:123)" and repairs[-1].fixed == UNRESOLVED and repairs[-1].confidence == 0.0


def test_private_use_code_point_is_unresolved_not_dropped():
    text, repairs = repaired_text(chars("目標\ue7d3協力"))
    assert text == "目標" + UNRESOLVED + "協力"
    assert repairs[0].rule == "private_use_code_point" and repairs[0].raw == "\ue7d3"


def test_fake_bold_double_print_dropped():
    doubled = []
    for index, letter in enumerate("中国"):
        x = 10.0 + index * 12
        doubled.append(Char(letter, "Gothic", 12.0, x, 50.0, x + 12, 62.0, 0))
        doubled.append(Char(letter, "Gothic", 12.0, x + 0.4, 50.0, x + 12.4, 62.0, 0))
    text, repairs = repaired_text(doubled)
    assert text == "中国"
    assert [r.rule for r in repairs] == ["fake_bold_duplicate", "fake_bold_duplicate"]


def test_real_repeated_characters_are_kept():
    text, repairs = repaired_text(chars("ここ"))
    assert text == "ここ" and not repairs


def test_mojibake_fixed_across_glyphs_and_logged():
    text, repairs = repaired_text(chars("æ—¥æœ¬èªž", size=5.0))
    assert text == "日本語"
    assert repairs and all(r.rule == "encoding_mojibake" for r in repairs)


def test_full_width_and_quotes_untouched_by_ftfy():
    assert fix_encoding("１５０社が“一带一路”に参加") == "１５０社が“一带一路”に参加"

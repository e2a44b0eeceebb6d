"""Radical code points fold to the kanji a Japanese font draws (pipeline.repair.radicals)."""

import unicodedata

from pipeline.records import Char, Line
from pipeline.repair import repair_lines
from pipeline.repair.radical_variants import CANDIDATES
from pipeline.repair.radicals import (
    EQUIVALENT_IDEOGRAPH,
    KANGXI_BLOCK,
    SUPPLEMENT_BLOCK,
    fold_radicals,
    ideograph_candidates,
    in_jis_x_0208,
    unified_ideograph,
)

RADICALS = [chr(cp) for cp in (*SUPPLEMENT_BLOCK, *KANGXI_BLOCK)]

# The only radicals whose fold the JIS X 0208 preference changed: (radical, before, after).
JIS_PREFERRED = [("⼹", "彐", "彑"), ("⼾", "戶", "戸"), ("⾭", "靑", "青"), ("⿊", "黑", "黒")]


def test_door_radical_folds_to_japanese_door_not_traditional_form():
    assert fold_radicals("神⼾の⼾籍係") == "神戸の戸籍係"
    assert unified_ideograph("⼾") == "戸"


def test_blue_radical_folds_to_jis_blue():
    assert fold_radicals("⾭空と⾭年") == "青空と青年"
    assert fold_radicals("⻘") == "青"  # the supplement's blue radical already folded there


def test_black_radical_folds_to_jis_black():
    assert fold_radicals("⿊板") == "黒板"


def test_radical_whose_target_is_in_jis_x_0208_folds_as_before():
    assert fold_radicals("⽇曜⽇の⽉例会") == "日曜日の月例会"
    assert ideograph_candidates("⽇") == ["日"]


def test_circled_digit_company_mark_and_compatibility_ideographs_untouched():
    # 﨑 U+FA11 and 神 U+FA19 are compatibility ideographs that NFKC would rewrite
    text = "①㈱﨑山神社ＡＢ１"
    assert fold_radicals(text) == text
    assert [unified_ideograph(c) for c in text] == [None] * len(text)
    assert all(ideograph_candidates(c) == [] for c in text)


def test_jis_preference_changes_only_radicals_whose_target_is_outside_jis_x_0208():
    changed = []
    for radical in RADICALS:
        before = EQUIVALENT_IDEOGRAPH.get(ord(radical))
        after = unified_ideograph(radical)
        if before is None or in_jis_x_0208(before):
            assert after == before, radical
        elif after != before:
            assert in_jis_x_0208(after), radical
            changed.append((radical, before, after))
    assert changed == JIS_PREFERRED


def test_candidates_start_with_the_fold_and_keep_the_equivalent_ideograph():
    for radical in RADICALS:
        candidates = ideograph_candidates(radical)
        if unified_ideograph(radical) is None:
            assert candidates == [], radical
            continue
        assert candidates[0] == unified_ideograph(radical), radical
        assert EQUIVALENT_IDEOGRAPH[ord(radical)] in candidates, radical
        assert len(set(candidates)) == len(candidates), radical
        for kanji in candidates:
            # unified ideographs only (U+2B739 is newer than this Python's Unicode, so no category check)
            assert not unicodedata.name(kanji, "").startswith("CJK COMPATIBILITY"), radical
            assert unicodedata.normalize("NFC", kanji) == kanji and kanji not in RADICALS, radical


def test_candidate_table_lists_only_radicals_with_more_than_one_candidate():
    for cp, candidates in CANDIDATES.items():
        assert cp in EQUIVALENT_IDEOGRAPH and len(candidates) > 1, hex(cp)
    assert ideograph_candidates("⼾") == ["戸", "戶", "户"]
    assert ideograph_candidates("⾭") == ["青", "靑"]


def test_in_jis_x_0208_by_encodability():
    assert in_jis_x_0208("戸") and in_jis_x_0208("青") and in_jis_x_0208("A")
    assert not in_jis_x_0208("戶") and not in_jis_x_0208("靑") and not in_jis_x_0208("⼾")


def test_repair_stage_records_the_japanese_form():
    chars = [Char(t, "Body", 10.0, 10.0 + 10 * i, 100.0, 20.0 + 10 * i, 110.0, 0) for i, t in enumerate("神⼾市")]
    lines, repairs = repair_lines([Line(chars=chars, page=0)])
    assert lines[0].text == "神戸市"
    assert [(r.raw, r.fixed, r.rule) for r in repairs] == [("⼾", "戸", "radical_to_ideograph")]

"""Candidate kanji for the radicals whose fold has more than one candidate.

``CANDIDATES[radical]`` is a string of candidate kanji, preferred first; the
first one is what :func:`pipeline.repair.radicals.fold_radicals` writes.
Radicals not listed have one candidate, their Equivalent_Unified_Ideograph.

What counts as a candidate
    * the radical's Equivalent_Unified_Ideograph as the fold had it
      (``radicals.EQUIVALENT_IDEOGRAPH``), and Unicode 17.0's value where the
      fold keeps an older one (eight supplement radicals, listed in radicals.py);
    * for a Kangxi radical, the ideograph's z-variants (Unihan ``kZVariant``)
      that are the same radical again: kRSUnicode ``N.0`` for radical N, or
      ``N''.0``, the Japanese simplified form (斉 歯 竜 亀 鼡), but not ``N'.0``,
      the Chinese one (讠 钅 饣); compatibility ideographs are left out.

    kZVariant is the only Unihan variant property used.  It pairs code points
    for one character that differ only in glyph convention, which is what a
    wrong font map confuses.  kSemanticVariant and
    kSpecializedSemanticVariant pair characters of like meaning and unlike
    shape (亻 and 人, 氵 and 水, even 乚 and 隱), so a font would never draw one
    for the other.  kCompatibilityVariant only maps compatibility ideographs
    (U+F900...) to unified ones, never a radical's target, and the fold must not
    produce compatibility ideographs.  The kZVariant lists of Unicode 17.0 and
    of Unicode 12.1 are merged: Unicode 13.0 pruned the list and dropped pairs
    such as 靑 U+9751 / 青 U+9752, which is the pair the blue radical needs;
    the "same radical" condition throws out the unrelated pairs the old list
    also had (干 乾, 止 只, 欠 歉).  Supplement radicals get no z-variants: each
    is one positional or simplified shape (⺉ 刂, ⻖ 阝, ⻈ 讠) and its z-variants
    are other shapes of the radical (刀, 阜, 言), drawn differently.

Preference
    Among the forms of one character (the ideograph and its z-variants), the one
    in JIS X 0208 (``radicals.in_jis_x_0208``), then the Equivalent_Unified_Ideograph;
    the other forms follow in code point order.  A radical whose ideograph is
    already in JIS X 0208 keeps it first, so only ⼹ 彐→彑, ⼾ 戶→戸, ⾭ 靑→青
    and ⿊ 黑→黒 changed.  Unicode's value for a kept supplement entry comes
    last and takes no part in the preference: it is a different shape (⺫ 罒
    or 目, ⻏ 阝 or 邑), there for a step that can compare the font's outlines.

Derivation
    Copy the four source files out of the unicodetools repository (commit below)
    into one folder, e.g. for each of ``17.0.0/EquivalentUnifiedIdeograph.txt``,
    ``17.0.0/Unihan/kZVariant.txt``, ``17.0.0/Unihan/kRSUnicode.txt`` and
    ``12.1.0-Update/Unihan/Unihan_Variants.txt``::

        git -C unicodetools show 48afe632bf194a20bcd27c3488b49dc23274b684:unicodetools/data/ucd/PATH > ucd/NAME

    then run this script from the project root as
    ``PYTHONPATH=. python derive.py ucd`` and paste its output into the table
    (it reads the fold's base table, not this one)::

    import sys
    from collections import defaultdict
    from pathlib import Path
    from unicodedata import normalize

    from pipeline.repair.radicals import EQUIVALENT_IDEOGRAPH, KANGXI_BLOCK, SUPPLEMENT_BLOCK, in_jis_x_0208

    ucd = Path(sys.argv[1])


    def rows(name):
        for line in (ucd / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                yield line.split("#")[0].replace(";", "\t").split("\t")


    def code_points(field):
        first, _, last = field.strip().partition("..")
        return range(int(first, 16), int(last or first, 16) + 1)


    published = {cp: chr(int(target, 16)) for source, target in rows("EquivalentUnifiedIdeograph.txt")
                 for cp in code_points(source) if cp in SUPPLEMENT_BLOCK or cp in KANGXI_BLOCK}
    z_variants = defaultdict(set)
    pairs = [(source, values) for source, values in rows("kZVariant.txt")]
    pairs += [(source[2:], values) for source, field, values in rows("Unihan_Variants.txt") if field == "kZVariant"]
    for source, values in pairs:
        for cp in code_points(source):
            for value in values.split():
                variant = chr(int(value.split("<")[0][2:], 16))
                z_variants[chr(cp)].add(variant)
                z_variants[variant].add(chr(cp))
    radical_stroke = {chr(cp): values.split() for source, values in rows("kRSUnicode.txt") for cp in code_points(source)}


    def is_radical(char, numbers):
        # radical N itself, or its Japanese simplified form N'' (not the Chinese N')
        return any(value in {f"{n}.0", f"{n}''.0"} for n in numbers for value in radical_stroke.get(char, ()))


    kept = {cp for cp in EQUIVALENT_IDEOGRAPH.keys() | published.keys() if EQUIVALENT_IDEOGRAPH.get(cp) != published.get(cp)}
    assert kept == {0x2E80, 0x2E95, 0x2E97, 0x2EAB, 0x2EB4, 0x2EBC, 0x2EBD, 0x2ECF}, sorted(map(hex, kept))
    for cp, target in sorted(EQUIVALENT_IDEOGRAPH.items()):
        forms = {target}
        if cp in KANGXI_BLOCK:
            numbers = [value[:-2] for value in radical_stroke[target] if value.endswith(".0")]
            # NFC leaves unified ideographs alone and folds compatibility ideographs
            forms |= {v for v in z_variants[target] if normalize("NFC", v) == v and is_radical(v, numbers)}
        jis = sorted(f for f in forms - {target} if in_jis_x_0208(f))
        preferred = target if in_jis_x_0208(target) or not jis else jis[0]
        candidates = [preferred] + sorted(forms - {preferred}, key=lambda f: (f != target, f))
        if published.get(cp, target) != target:
            candidates.append(published[cp])
        if len(candidates) > 1:
            print(f'    0x{cp:04X}: "{"".join(candidates)}",  # {chr(cp)}')
"""

# Source: github.com/unicode-org/unicodetools at commit 48afe632bf194a20bcd27c3488b49dc23274b684,
# unicodetools/data/ucd/17.0.0/EquivalentUnifiedIdeograph.txt (Unicode 17.0.0, 2025-08-01),
# unicodetools/data/ucd/17.0.0/Unihan/kZVariant.txt and kRSUnicode.txt (Unihan 17.0.0),
# unicodetools/data/ucd/12.1.0-Update/Unihan/Unihan_Variants.txt (as shipped with Unicode 12.0 and 12.1, dated 2018-11-09).
# Unicode License v3.
CANDIDATES: dict[int, str] = {
    0x2E95: "彐𫜹",  # ⺕
    0x2E97: "㣺心",  # ⺗
    0x2EAB: "罒目",  # ⺫
    0x2EB4: "㓁冗",  # ⺴
    0x2EBC: "月肉",  # ⺼
    0x2EBD: "臼𦥑",  # ⺽
    0x2ECF: "阝邑",  # ⻏
    0x2F11: "刀刂",  # ⼑
    0x2F39: "彑彐",  # ⼹
    0x2F3E: "戸戶户",  # ⼾
    0x2F59: "爿丬",  # ⽙
    0x2F91: "襾西",  # ⾑
    0x2F94: "言訁",  # ⾔
    0x2F9B: "走赱",  # ⾛
    0x2FA9: "阜阝",  # ⾩
    0x2FAD: "青靑",  # ⾭
    0x2FB7: "食飠",  # ⾷
    0x2FBC: "高髙",  # ⾼
    0x2FCA: "黒黑",  # ⿊
    0x2FCF: "鼠鼡",  # ⿏
    0x2FD1: "齊斉",  # ⿑
    0x2FD2: "齒歯",  # ⿒
    0x2FD3: "龍竜",  # ⿓
    0x2FD4: "龜亀",  # ⿔
}

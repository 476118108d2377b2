"""The scoring formulas: bounds and monotonicity."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from kb.search import ranking
from kb.search.ranking import PARAMS

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(st.lists(unit, max_size=8))
def test_combine_stays_in_unit_interval_and_grows(parts):
    total = ranking.combine(parts)
    assert 0.0 <= total <= 1.0
    assert total + 1e-12 >= max(parts, default=0.0)


def test_specific_code_outweighs_common_and_generic_codes():
    unique = ranking.code_weight(df=1, kind="specific", in_signatures=True)
    generic = ranking.code_weight(df=1, kind="generic", in_signatures=True)
    common = ranking.code_weight(df=1, kind="common", in_signatures=True)
    shared = ranking.code_weight(df=4, kind="specific", in_signatures=True)
    body = ranking.code_weight(df=1, kind="specific", in_signatures=False)
    assert unique == PARAMS["code_gain"]
    assert generic < common < unique and shared < 0.3 * unique and body < unique
    assert unique >= PARAMS["threshold"] > max(generic, common)


def test_code_class():
    assert ranking.code_class(True, None) == "generic"
    assert ranking.code_class(False, 2) == "common"  # ERROR_FILE_NOT_FOUND, plain or wrapped
    assert ranking.code_class(False, 12007) == "specific"  # WinHTTP name not resolved
    assert ranking.code_class(False, None) == "specific"  # an NTSTATUS or a non-Win32 HRESULT


def test_line_weight_grows_with_similarity_and_informativeness():
    full = PARAMS["line_full_letters"]
    assert ranking.line_weight(100, full + 5, 1) == PARAMS["line_gain"]
    assert ranking.line_weight(90, full, 1) < ranking.line_weight(95, full, 1)
    assert ranking.line_weight(100, full // 3, 1) < ranking.line_weight(100, full, 1)
    assert ranking.line_weight(100, full, 2) == ranking.line_weight(100, full, 1) / 2
    uncited = ranking.line_weight(100, full, 1, codes_cited=False)
    assert uncited == ranking.line_weight(100, full, 1) * PARAMS["uncited_code_line_weight"]


def test_codes_compatible():
    assert ranking.codes_compatible(frozenset(), frozenset({1}))
    assert ranking.codes_compatible(frozenset({1, 2}), frozenset({2}))
    assert not ranking.codes_compatible(frozenset({0x80070002}), frozenset({0x80070005}))


def test_idf_and_term_weights_follow_whoosh():
    assert ranking.idf(16, 0) == math.log(16) + 1
    assert ranking.term_weight(16, [0, 3, 0]) == ranking.idf(16, 3)
    assert ranking.term_weight(16, []) == ranking.idf(16, 0)
    assert ranking.term_coverage(100.0, 2.0) == 1.0
    assert ranking.term_coverage(3.0, 2.0) == 3.0 / (PARAMS["term_saturation"] * 2.0)
    assert ranking.term_importance(16, 15) == 0.0
    assert ranking.term_importance(16, 1) == math.log(8)
    assert ranking.text_part(5.0, 0.0, 16) == 0.0
    full = PARAMS["text_full_terms"] * math.log(16)
    assert ranking.text_part(full, 2 * full, 16) == min(1.0, PARAMS["text_scale"] * 0.5)
    # The same share of a query made of common words alone counts for less.
    assert ranking.text_part(0.5, 1.0, 16) < ranking.text_part(full, 2 * full, 16) / 4


def test_length_bound_is_the_best_possible_ratio():
    assert ranking.length_bound(10, 10) == 100.0
    assert ranking.length_bound(10, 30) == 50.0

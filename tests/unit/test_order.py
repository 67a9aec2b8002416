from hypothesis import given
from hypothesis import strategies as st

from assessments.order import display_order, in_display_order


@given(count=st.integers(0, 12), seed=st.text(max_size=30))
def test_the_order_is_a_permutation_fixed_by_its_seed(count, seed):
    order = display_order(count, seed)
    assert sorted(order) == list(range(count))
    assert display_order(count, seed) == order


def test_the_first_option_shown_varies_between_people():
    firsts = {display_order(4, f"C{n:07d}:meet")[0] for n in range(40)}
    assert firsts == {0, 1, 2, 3}


def test_items_keep_their_index_in_the_file():
    options = ["best", "good", "poor", "harmful"]
    shown = in_display_order(options, "C0000001:meet")
    assert sorted(shown) == list(enumerate(options))

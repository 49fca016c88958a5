"""Recruiting models: seeded, always an earlier sponsor, the tree shapes they promise."""

from __future__ import annotations

import pytest

from zengzhi.sim.recruit import REGIONS, Recruiter, Regions


def sponsors(model: str, count: int, seed: int = 1) -> list[int | None]:
    recruiter = Recruiter(model, seed)
    return [recruiter.sponsor() for _ in range(count)]


def depth(parents: list[int | None]) -> int:
    """The deepest member's number of sponsors above it (parents come first, so one pass suffices)."""
    depths: list[int] = []
    for parent in parents:
        depths.append(0 if parent is None else depths[parent] + 1)
    return max(depths)


def recruits(parents: list[int | None]) -> list[int]:
    counts = [0] * len(parents)
    for parent in parents:
        if parent is not None:
            counts[parent] += 1
    return counts


@pytest.mark.parametrize("model", ["uniform", "preferential", "chain"])
def test_the_first_has_no_sponsor_and_every_other_an_earlier_one(model: str) -> None:
    drawn = sponsors(model, 2000)
    assert drawn[0] is None
    assert all(s is not None and 0 <= s < row for row, s in enumerate(drawn) if row)


@pytest.mark.parametrize("model", ["uniform", "preferential"])
def test_the_same_seed_draws_the_same_tree_and_another_seed_another(model: str) -> None:
    assert sponsors(model, 500, seed=7) == sponsors(model, 500, seed=7)
    assert sponsors(model, 500, seed=7) != sponsors(model, 500, seed=8)


def test_a_chain_is_one_line_of_depth_n_minus_1() -> None:
    drawn = sponsors("chain", 1000)
    assert drawn == [None, *range(999)]
    assert depth(drawn) == 999


def test_uniform_is_a_shallow_random_recursive_tree() -> None:
    drawn = sponsors("uniform", 5000)
    assert 5 <= depth(drawn) <= 40  # about e·ln n at most; ln 5000 ≈ 8.5 on average
    assert len({s for s in drawn if s is not None}) > 1000  # many sponsors, not a few hubs


def test_preferential_recruiters_recruit_more_than_uniform_ones() -> None:
    uniform, preferential = recruits(sponsors("uniform", 5000)), recruits(sponsors("preferential", 5000))
    assert max(preferential) > 2 * max(uniform)  # hubs: the rich get richer (Barabási–Albert)
    assert sum(preferential) == sum(uniform) == 4999


def test_regions_are_drawn_from_the_fixed_list_seeded() -> None:
    first, again = Regions(3), Regions(3)
    assert [first.region() for _ in range(50)] == [again.region() for _ in range(50)]
    regions = Regions(1)
    many = [regions.region() for _ in range(400)]
    assert set(many) == set(REGIONS)


def test_an_unknown_model_is_refused() -> None:
    with pytest.raises(ValueError, match="recruit must be one of"):
        Recruiter("random", 1)

"""RankedResults: the ranked single parcels of a selection, as a read-only sequence whose items
(Scored, with their reasons) are built when first read, so a shortlist of thousands costs the
reasons and texts of the few results shown or returned only."""

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from webapp.selection.scoring import Scored


class RankedResults(Sequence[Scored]):
    """`count` results; build(i) makes the one ranked i + 1 (each is built once)."""

    def __init__(self, count: int = 0, build: Callable[[int], Scored] | None = None) -> None:
        self._count = count
        self._build = build
        self._built: dict[int, Scored] = {}

    def __len__(self) -> int:
        return self._count

    def _item(self, index: int) -> Scored:
        if index not in self._built:
            assert self._build is not None  # count > 0 needs a builder
            self._built[index] = self._build(index)
        return self._built[index]

    @overload
    def __getitem__(self, index: int) -> Scored: ...

    @overload
    def __getitem__(self, index: slice) -> list[Scored]: ...

    def __getitem__(self, index: int | slice) -> Scored | list[Scored]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return self._item(index % self._count)

    def __iter__(self) -> Iterator[Scored]:
        return (self._item(i) for i in range(self._count))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RankedResults({self._count} results)"

"""Records of what went wrong, and what was noticed, while reading a dataset file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One rejected row, or a fault of the whole file (`whole_file`; line 0 when no line is to blame, 1 for the
    header), said the way a person can act on it."""

    file: str
    line: int
    column: str
    reason: str
    value: str = ""
    whole_file: bool = False

    @property
    def of_file(self) -> bool:
        return self.whole_file or self.line == 0

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" {self.column}:" if self.column else ""
        shown = f" (found {self.value!r})" if self.value else ""
        return f"{where}:{col} {self.reason}{shown}"


@dataclass
class FileReport:
    """What happened to one file: rows read, loaded and rejected, with every problem."""

    file: str
    rows_read: int = 0
    rows_loaded: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    missing: bool = False
    # The file line of each loaded row, in the loaded frame's order, so checks across rows can name lines.
    lines: list[int] = field(default_factory=list, repr=False)
    # Problems of the checks across rows: reported, but the rows they name still load.
    findings: list[Problem] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_loaded

    @property
    def ok(self) -> bool:
        return not self.problems and not self.findings and not self.missing

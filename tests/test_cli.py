"""python -m trends validate: exit codes and file:line: column: reason output."""

from __future__ import annotations


from tests.conftest import DATA, cli_process


def run(*args: str, env_dir: str | None = None):
    return cli_process(*args, env={"TRENDS_DATA_DIR": env_dir} if env_dir else None)


def test_validate_bundled_data_exits_zero():
    result = run("validate", str(DATA))
    assert result.returncode == 0, result.stdout
    assert "attacks.csv: " in result.stderr and " 0 rejected" in result.stderr


def test_validate_names_each_faulty_line(small_copy):
    path = small_copy / "attacks.csv"
    lines = path.read_text().split("\n")
    lines[2] = lines[2].replace("2018-08-01", "2018-02-31")       # e2, file line 3
    lines[5] = lines[5].replace(",Unknown,IED,", ",Unknown,bomb,")  # e5, file line 6
    path.write_text("\n".join(lines))
    result = run("validate", env_dir=str(small_copy))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "attacks.csv:3: date: must be a real date written YYYY-MM-DD (found '2018-02-31')",
        "attacks.csv:6: attack_type: must be one of: suicide attack, IED, armed assault, complex attack, "
        "indirect fire, targeted killing, abduction, airstrike, ground offensive, other (found 'bomb')",
    ]


def test_validate_unreadable_folder_exits_two(tmp_path):
    result = run("validate", str(tmp_path / "nope"))
    assert result.returncode == 2 and "not a folder" in result.stderr


def test_validate_missing_file_exits_two(small_copy):
    (small_copy / "attacks.csv").unlink()
    result = run("validate", str(small_copy))
    assert result.returncode == 2 and "attacks.csv: file is missing" in result.stdout


def test_help_lists_commands():
    result = run("--help")
    assert result.returncode == 0 and "validate" in result.stdout

"""Docs that run: the README stays short, every link lands, every query and shown command works.

The conventions, in README.md and docs/*.md:

* A ```` ```sql ```` block is a query on the tables. Each one runs through the
  read-only query API (:func:`pipeline.dataset.database.run_query`, what
  ``newsletter-extract query`` calls) on the tables of the sample issues in
  ``raw/`` and must return rows.
* In a ```` ```console ```` block, a line starting with ``$ `` is a command meant
  to be run; the lines without the prompt are its output. Each command runs in a
  folder where ``extracted`` holds the sample tables and ``raw`` the sample PDFs,
  and must exit 0, unless :data:`NOT_RUN` names it with the reason.
* ```` ```text ```` (and ```` ```toml ````, ```` ```csv ````) blocks are synopses,
  output and file contents: never run.

The sample tables are made once per session by the ``sample_run`` fixture
(tests/conftest.py), shared with the other tests that need them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import RAW, REPO
from pipeline.dataset.database import run_query

README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, *DOCS]
MAX_README_LINES = 200

# Commands shown with a `$ ` prompt that the tests do not run, each with its reason.
NOT_RUN = {
    "make extract": "sets up .venv and reads every PDF in raw/ with GiNZA (a minute or more); "
    "the session fixture sample_run makes the same tables through run_batch",
    "make test": "runs this very test suite",
}

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", flags=re.M | re.S)
INLINE_CODE = re.compile(r"(`+).+?\1", flags=re.S)
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", flags=re.M)


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    language: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(page, text.count("\n", 0, match.start()) + 1, match.group(1), match.group(2))
        for match in FENCE.finditer(text)
    ]


def prose(page: Path) -> str:
    """The page without its fenced blocks, where links and headings are."""
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def anchors(page: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(prose(page)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(page: Path) -> list[str]:
    return LINK.findall(INLINE_CODE.sub("", prose(page)))


def queries() -> list[Block]:
    return [block for page in PAGES for block in blocks(page) if block.language == "sql"]


@dataclass(frozen=True)
class Command:
    where: str
    line: str


def commands() -> list[Command]:
    found = []
    for page in PAGES:
        for block in blocks(page):
            if block.language != "console":
                continue
            for offset, line in enumerate(block.text.splitlines(), start=1):
                if line.startswith("$ "):
                    found.append(Command(f"{block.page.relative_to(REPO)}:{block.line + offset}", line[2:].strip()))
    return found


def not_run_reason(command: str) -> str | None:
    for prefix, reason in NOT_RUN.items():
        if command == prefix or command.startswith(prefix + " "):
            return reason
    return None


def command_params():
    params = []
    for command in commands():
        reason = not_run_reason(command.line)
        marks = [pytest.mark.skip(reason=f"not run: {reason}")] if reason else []
        params.append(pytest.param(command, id=command.where, marks=marks))
    return params


# --- (a) the README is short, and every link lands ---------------------------------------


def test_readme_reads_in_five_minutes():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_readme_shows_the_two_commands_and_a_query():
    shown = [command.line.split("#")[0].strip() for command in commands() if command.where.startswith("README.md:")]
    assert "make extract" in shown and "make test" in shown
    assert any(block.page == README for block in queries())


def test_readme_says_why_each_dependency_is_there():
    """Every package pyproject.toml names appears in the README's dependency table."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"], *(name for extra in project["optional-dependencies"].values() for name in extra)]
    table = README.read_text(encoding="utf-8").split("## Dependencies and why each is there", 1)[1].split("\n## ", 1)[0]
    listed = {cell.strip() for row in table.splitlines() if row.startswith("| ") for cell in row.split("|")[1].split(",")}
    listed = {re.sub(r"\s*\(.*\)$", "", name) for name in listed}
    for requirement in names:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0]
        assert name in listed, f"{name} (pyproject.toml) is not in the README's dependency table"


def test_readme_links_into_every_doc():
    linked = {(README.parent / target.split("#")[0]).resolve() for target in links(README)}
    missing = [doc.name for doc in DOCS if doc.resolve() not in linked]
    assert not missing, f"docs not linked from README.md: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_every_relative_link_points_at_something_that_exists(page):
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.relative_to(REPO)}")
    assert not broken, f"{page.relative_to(REPO)}: " + "; ".join(broken)


def test_the_link_checker_sees_links_and_anchors():
    """The checks above would pass on nothing: make sure they look at something."""
    assert "docs/errors.md" in links(README)
    assert "make-fuzz" in anchors(REPO / "docs" / "operations.md")
    assert "updating-downstream-changes" in anchors(REPO / "docs" / "dataset.md")


# --- (b) every SQL block runs, read-only, on the sample issues ------------------------------


def test_the_docs_show_queries():
    assert len(queries()) >= 4


@pytest.mark.parametrize("block", queries(), ids=lambda block: block.where)
def test_sql_block_runs_on_the_sample_issues(sample_run, block):
    out, _ = sample_run
    columns, rows = run_query(out, block.text)
    assert columns, f"{block.where}: no columns"
    assert rows, f"{block.where}: the query finds nothing in the sample issues"


# --- (c) every `$ ` command runs, or says why not --------------------------------------------


@pytest.fixture(scope="module")
def console_folder(sample_run, tmp_path_factory):
    """A working folder as after `make extract`: extracted/ (the sample tables) and raw/."""
    out, _ = sample_run
    folder = tmp_path_factory.mktemp("console")
    (folder / "extracted").symlink_to(out, target_is_directory=True)
    (folder / "raw").symlink_to(RAW, target_is_directory=True)
    return folder


def argv(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    if words[0] == "newsletter-extract":
        return [sys.executable, "-m", "pipeline", *words[1:]]
    if words[0] == "python" and words[1:2] == ["-m"] and words[2].split(".")[0] == "pipeline":
        return [sys.executable, *words[1:]]
    raise AssertionError(f"{command!r}: not a command the docs test knows how to run; run it or add it to NOT_RUN with the reason")


def test_the_docs_show_commands_to_run():
    runnable = [command for command in commands() if not not_run_reason(command.line)]
    assert any("query" in command.line for command in runnable)
    assert any("--help" in command.line for command in runnable)


@pytest.mark.parametrize("command", command_params())
def test_console_command_exits_0(console_folder, command):
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(argv(command.line), cwd=console_folder, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{command.where}: `{command.line}` exited {result.returncode}:\n{result.stderr}"
    assert result.stdout.strip(), f"{command.where}: `{command.line}` printed nothing"

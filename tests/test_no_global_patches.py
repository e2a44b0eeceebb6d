"""Importing or running the pipeline leaves other libraries as they shipped.

pdfminer's methods are replaced only inside
:func:`pipeline.extract.pdfminer_hooks.reading_hooks`, and thinc's ops only
inside the entity finder, so a program that uses pdfminer, pdfplumber or
spaCy beside the pipeline sees no difference after importing it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pdfminer.pdfinterp
import pdfplumber.page
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdfinterp import PDFPageInterpreter

from conftest import RAW, REPO
from pipeline.extract import content_stream
from pipeline.extract.pdf import read_pages
from pipeline.extract.pdfminer_hooks import active, cid_to_gid_map, reading_hooks

SAMPLE = RAW / "sample-2025-04.pdf"
HOOKS_MODULE = REPO / "pipeline" / "extract" / "pdfminer_hooks.py"

_SCRIPT = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    from pathlib import Path

    import pdfminer.pdfinterp, pdfplumber.page
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdffont import PDFCIDFont
    from pdfminer.pdfinterp import PDFPageInterpreter
    from thinc.api import get_current_ops

    def snapshot():
        return {
            "render_char": id(PDFLayoutAnalyzer.render_char),
            "cid_font_init": id(PDFCIDFont.__init__),
            "content_parser": id(pdfminer.pdfinterp.PDFContentParser),
            "execute": id(PDFPageInterpreter.execute),
            "all_attrs": sorted(pdfplumber.page.ALL_ATTRS),
            "thinc_ops": type(get_current_ops()).__qualname__,
        }

    before = snapshot()
    import pipeline
    for module in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if not module.name.endswith("__main__"):  # running the CLI is not importing it
            importlib.import_module(module.name)
    after_import = snapshot()

    from pipeline.parallel import extract_one
    outcome = extract_one(Path(sys.argv[1]), entity_finder=None)
    after_extract = snapshot()

    from pipeline.pull.entities import get_entity_finder
    found = get_entity_finder().find(["東京で会議があった。"])
    after_entities = snapshot()
    print(json.dumps({
        "before": before, "after_import": after_import, "after_extract": after_extract,
        "after_entities": after_entities, "status": outcome.status,
        "entities": [m.surface for m in found[0]],
    }))
    """
)


def test_importing_and_running_the_pipeline_patches_nothing():
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(SAMPLE)], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == "ok"
    assert "東京" in report["entities"]  # the finder ran
    for moment in ("after_import", "after_extract", "after_entities"):
        assert report[moment] == report["before"], moment


def test_fast_reader_and_glyph_capture_active_only_inside_the_hooks():
    originals = (PDFLayoutAnalyzer.render_char, PDFCIDFont.__init__, set(pdfplumber.page.ALL_ATTRS))
    with reading_hooks():
        assert active()
        assert pdfminer.pdfinterp.PDFContentParser is content_stream.FastContentParser
        assert PDFPageInterpreter.execute is content_stream.execute
        assert getattr(PDFLayoutAnalyzer.render_char, "keeps_glyph_ids", False)
        assert getattr(PDFCIDFont.__init__, "keeps_cid_to_gid_map", False)
        assert {"cid", "pdffont"} <= pdfplumber.page.ALL_ATTRS
        with reading_hooks():  # nested: still on, and still on after the inner block
            pass
        assert PDFPageInterpreter.execute is content_stream.execute
    assert not active()
    assert pdfminer.pdfinterp.PDFContentParser is content_stream._ORIGINAL_PARSER
    assert PDFPageInterpreter.execute is content_stream._ORIGINAL_EXECUTE
    assert (PDFLayoutAnalyzer.render_char, PDFCIDFont.__init__, set(pdfplumber.page.ALL_ATTRS)) == originals


def test_glyph_ids_kept_while_read_pages_is_suspended_between_pages():
    pages = read_pages(SAMPLE)
    first = next(pages)
    assert not active()  # the generator holds no hooks while it waits
    assert first.chars and all(char.cid is not None for char in first.chars)
    assert all(cid_to_gid_map(font) is None or font for font in (first.fonts or {}).values())
    pages.close()
    assert not active()


def _third_party_names(tree: ast.Module) -> set[str]:
    """Names a module binds to things imported from outside ``pipeline``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not alias.name.startswith("pipeline"):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and not (node.module or "").startswith("pipeline"):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _base_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _targets(node: ast.AST):
    if isinstance(node, ast.Assign):
        stack = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        stack = [node.target]
    elif isinstance(node, ast.Delete):
        stack = list(node.targets)
    else:
        return
    while stack:
        target = stack.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            stack.extend(target.elts)
        else:
            yield target


def test_no_module_outside_the_hooks_assigns_to_another_librarys_attributes():
    offences = []
    for path in sorted((REPO / "pipeline").rglob("*.py")):
        if path == HOOKS_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _third_party_names(tree)
        for node in ast.walk(tree):
            for target in _targets(node):
                if isinstance(target, ast.Attribute) and _base_name(target) in imported:
                    offences.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(target)}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("setattr", "delattr")
                and node.args
                and _base_name(node.args[0]) in imported
            ):
                offences.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
    assert not offences, "patch other libraries only inside pipeline/extract/pdfminer_hooks.py:\n" + "\n".join(offences)

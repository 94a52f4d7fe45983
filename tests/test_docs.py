"""The staff guide explains every finding code; the README shows every command."""
from __future__ import annotations

from conftest import ROOT
from huitan_xl.findings import CODES, SEVERITY_ZH


def test_staff_guide_lists_every_code_with_its_severity_and_title():
    text = (ROOT / "docs" / "staff.md").read_text(encoding="utf-8")
    for code, (severity, title) in CODES.items():
        assert f"| {code} | {SEVERITY_ZH[severity]} | {title} |" in text, code


def test_readme_quick_start_is_the_two_make_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.splitlines() if line.startswith("make ")]
    assert commands == ["make demo", "make test"]
    assert "huitan demo" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_readme_links_only_to_files_inside_the_repository():
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)#]+)\)", text) if "://" not in t]
    assert "docs/rules.md" in targets
    for target in targets:
        path = (ROOT / target).resolve()
        assert ROOT.resolve() in path.parents, f"README links outside the repository: {target}"
        assert path.exists(), target


def test_developer_guide_maps_every_module():
    """docs/developers.md's tree names every module of the package, each under its folder,
    and names none that does not exist."""
    import re

    pkg = ROOT / "huitan_xl"
    text = (ROOT / "docs" / "developers.md").read_text(encoding="utf-8")
    tree = text[text.index("```\nhuitan_xl/"):]
    tree = tree[:tree.index("```", 4)]
    named, folder = set(), ""
    for line in tree.splitlines()[1:]:
        m = re.match(r"^(\s+)([\w/]+(?:\.py|/))\s", line + " ")
        if not m:
            continue
        depth, name = len(m.group(1)), m.group(2)
        if name.endswith("/"):
            folder = name
        else:
            named.add((folder if depth > 2 else "") + name)
    modules = {p.relative_to(pkg).as_posix() for p in pkg.rglob("*.py")
               if p.name != "__main__.py" and not (p.name == "__init__.py" and p.parent != pkg)}
    assert modules - named == set(), "modules missing from docs/developers.md"
    assert named - modules == set(), "docs/developers.md names modules that do not exist"

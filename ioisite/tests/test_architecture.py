"""The layout docs/architecture.md promises: one sub-package per concern, and imports that run
one way. `make lint` runs the import contracts; these tests show the cycle contract catches what
it is for, and that the tree stays as the docs draw it."""

from pathlib import Path

import grimp
import pytest

from ioisite.architecture import AcyclicModulesContract, strongly_connected

PAGES = Path(__file__).resolve().parents[2] / "pages"


def contract(*packages):
    return AcyclicModulesContract(
        name="no cycles", session_options={}, contract_options={"packages": list(packages)}
    )


def graph_of(imports):
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for module in (importer, imported):
            for end in range(1, module.count(".") + 2):
                graph.add_module(".".join(module.split(".")[:end]))
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def test_the_projects_modules_import_each_other_in_no_cycle():
    graph = grimp.build_graph("ioisite", "home", "pages", cache_dir=None)
    check = contract("ioisite", "home", "pages").check(graph, verbose=False)
    assert check.kept, check.metadata["cycles"]


def test_a_cycle_through_three_modules_breaks_the_contract_and_is_named(capsys):
    graph = graph_of(
        [
            ("app.models", "app.panels"),
            ("app.panels", "app.checker"),
            ("app.checker", "app.models"),  # e.g. an import inside a function
            ("app.views", "app.models"),
        ]
    )
    broken = contract("app")
    check = broken.check(graph, verbose=False)
    assert not check.kept
    assert check.metadata["cycles"] == [("app.checker", "app.models", "app.panels", "app.checker")]
    broken.render_broken_contract(check)
    shown = capsys.readouterr().out.split()
    assert shown[-4:] == ["app.checker", "app.models", "app.panels", "app.checker"]


def test_imports_that_run_one_way_keep_the_contract():
    graph = graph_of([("app.views", "app.forms"), ("app.forms", "app.models")])
    assert contract("app").check(graph, verbose=False).kept


@pytest.mark.parametrize(
    ("edges", "groups"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"], ["c"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, [["a"], ["b"], ["c"]]),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_strongly_connected_groups(edges, groups):
    assert sorted(strongly_connected(set(edges), edges)) == groups


def test_pages_holds_its_own_files_and_one_sub_package_per_concern():
    modules = sorted(path.name for path in PAGES.glob("*.py"))
    assert len(modules) <= 8, modules
    packages = {path.name for path in PAGES.iterdir() if (path / "__init__.py").exists()}
    concerns = {"models", "blocks", "contacts", "links", "caching", "editorial", "discovery"}
    assert concerns | {"http", "templatetags", "management", "migrations", "tests"} <= packages

"""The layout's rules, read from the code with `ast` (docs/architecture.md):
imports flow down the layers, never up; no import hides inside a function;
only URL modules import views; no module over 400 lines, no function over 60;
at most ten `# fmt: skip`, for tables.

Where a rule still has exceptions they are listed, and the list must match
what the code does: a new exception fails, and so does one fixed but left on
the list."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first: a module may import from its own layer and those below.
# common holds the helpers every app uses; p2s, the project, puts the apps
# together.
LAYERS = [
    "common",
    "notifications",
    "framework",
    "communities",
    "stories",
    "lessons",
    "discovery",
    "curation",
    "assessments",
    "spaces",
    "library_io",
    "demo",
    "p2s",
]
APPS = LAYERS

# Imports inside a function: only where Django wants them, in AppConfig.ready,
# for what an app connects when it is ready (signal receivers, the review
# page's lessons panel).
LOCAL = {
    ("discovery.apps", "discovery.search"),
    ("lessons.apps", "lessons.codify_panel"),
    ("p2s.apps", "common.cache"),
    ("stories.apps", "stories.pending"),
}
MAX_LINES, MAX_FUNCTION = 400, 60


def test_every_app_has_its_layer():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT
    }
    assert ours == set(LAYERS) - {"common"}  # a package, not an app


def modules():
    """(dotted name, path) of every module of the apps but their migrations."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "settings" in relative.parts:
                continue
            name = ".".join(relative.with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


def imported(node, module):
    """The modules an import statement names, made absolute."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.rsplit(".", node.level)[0]
        base = f"{package}.{base}" if base else package
    # `from common import cache` names the module common.cache, not the package
    return [
        f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base
        for alias in node.names
    ]


def is_module(name):
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer_of(module):
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def imports():
    """(module, imported, inside a function?) for every import of the apps."""
    for module, path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for sub in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in imported(node, module):
                    yield module, name, id(node) in local


def test_imports_flow_down_the_layers():
    found = {
        (module, name)
        for module, name, _ in imports()
        if layer_of(name) is not None and layer_of(name) > layer_of(module)
    }
    assert found == set()


def test_no_import_hides_in_a_function():
    found = {(module, name) for module, name, local in imports() if local}
    assert found == LOCAL


def test_no_circular_imports_between_modules():
    graph = {}
    for module, name, local in imports():
        if not local and layer_of(name) is not None:
            graph.setdefault(module, set()).add(name)
    cycles = []

    def visit(module, path):
        for name in graph.get(module, ()):
            if name in path:
                cycles.append(path[path.index(name) :] + [name])
            elif name not in seen:
                seen.add(name)
                visit(name, [*path, name])

    seen = set()
    for module in sorted(graph):
        if module not in seen:
            seen.add(module)
            visit(module, [module])
    assert cycles == []


def test_only_url_modules_import_views():
    found = {
        (module, name)
        for module, name, _ in imports()
        if (name.endswith("views") or "views." in name)
        and layer_of(name) is not None
        and not module.endswith("urls")
    }
    assert found == set()


def test_modules_and_functions_stay_short():
    long = set()
    for module, path in modules():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_LINES:
            long.add(module)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION:
                    long.add(f"{module}.{node.name}")
    assert long == set()


def test_formatting_is_left_to_ruff_but_for_a_few_tables():
    skips = {
        module: path.read_text(encoding="utf-8").count("# fmt: skip")
        for module, path in modules()
    }
    assert sum(skips.values()) <= 10, {m: n for m, n in skips.items() if n}

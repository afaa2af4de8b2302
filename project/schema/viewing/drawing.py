"""SVG from a Graphviz graph: the `graphviz` package writes the DOT text, Debian's `dot` draws it.

Graphviz lays out graphs of boxes and edges better than anything we would
write, and is packaged everywhere; the Python package is its usual binding.
"""
import shutil

INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` is not installed: install it with `sudo apt-get install graphviz` "
    "(Debian/Ubuntu) or `brew install graphviz` (macOS), or use --format mermaid"
)


class GraphvizMissing(Exception):
    """`dot` is not on PATH: the message says how to install it."""


def to_svg(graph):
    """The SVG text of a graphviz.Digraph, or GraphvizMissing."""
    import graphviz

    if shutil.which("dot") is None:
        raise GraphvizMissing(INSTALL_GRAPHVIZ)
    try:
        return graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as error:
        raise GraphvizMissing(INSTALL_GRAPHVIZ) from error


def html_text(value):
    """Text safe inside a Graphviz HTML-like label."""
    import html

    return html.escape(str(value), quote=True)

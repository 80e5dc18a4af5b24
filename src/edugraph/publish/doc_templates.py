"""The templates of the documentation pages (one layout, one macro per term), rendered with
autoescape on: text from the graph is escaped."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup

_LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif;
       max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #ccd; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin: 0 0 .3rem; font-size: 1.15rem; }
section.term { border: 1px solid #dde; border-radius: 6px; padding: .8rem 1rem;
               margin: 1rem 0; }
section.term:target { border-color: #36c; box-shadow: 0 0 0 2px #cde; }
.iri { font-family: ui-monospace, monospace; font-size: .85rem; color: #555;
       word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .2rem .5rem;
         border-top: 1px solid #eef; }
th { width: 11rem; font-weight: 600; color: #444; }
table.constraints th { width: auto; }
code { font-size: .9em; }
pre { background: #f6f7f9; padding: .6rem; overflow-x: auto; font-size: .85rem; }
nav.toc ol { columns: 2; }
nav.toc ul { font-size: .9rem; }
nav.toc li li { display: inline; margin-right: .6rem; }
.def { margin: .2rem 0; }
.lang { color: #888; font-size: .75rem; margin-left: .3rem; }
.sev-Violation { color: #b00; } .sev-Warning { color: #a60; } .sev-Info { color: #06a; }
</style>
</head>
<body>
{% from "term.html" import term %}
<header>
<h1>{{ title }}</h1>
{% if iri %}<p class="iri">{{ iri }}</p>{% endif %}
<table class="meta">
{% for name, values in header %}<tr><th>{{ name }}</th><td>{{ values|join("<br>"|safe) }}</td>
</tr>{% endfor %}
</table>
</header>
<nav class="toc">
<h2 id="contents">Contents</h2>
<ol>
{% for section in sections %}<li><a href="#{{ section.anchor }}">{{ section.title }}</a>
<ul>{% if section.intro %}<li><a href="#{{ section.intro.anchor }}">{{ section.intro.curie }}</a>
</li>{% endif %}{% for e in section.entries %}<li><a href="#{{ e.anchor }}">{{ e.curie }}</a></li>
{% endfor %}</ul></li>
{% endfor %}<li><a href="#namespaces">Namespaces</a></li>
</ol>
</nav>
<main>
{% for section in sections %}
<h2 id="{{ section.anchor }}">{{ section.title }}</h2>
{% if section.intro %}{{ term(section.intro) }}{% endif %}
{% for e in section.entries %}{{ term(e) }}{% endfor %}
{% endfor %}
<h2 id="namespaces">Namespaces</h2>
<table>
{% for prefix, namespace in namespaces %}<tr><th><code>{{ prefix }}</code></th>
<td class="iri">{{ namespace }}</td></tr>
{% endfor %}
</table>
</main>
</body>
</html>
"""

_TERM = """{% macro term(e) %}
<section class="term" id="{{ e.anchor }}">
<h3>{{ e.title }}{% for lang, text in e.labels %}{% if text != e.title %}
 · <span lang="{{ lang }}">{{ text }}</span>{% endif %}{% endfor %}</h3>
{% if e.iri %}<p class="iri"><a href="{{ e.iri }}">{{ e.curie }}</a> · {{ e.iri }}</p>{% endif %}
{% for lang, text in e.definitions %}<p class="def" lang="{{ lang or 'und' }}">{{ text }}
{% if lang %}<span class="lang">{{ lang }}</span>{% endif %}</p>
{% endfor %}
{% if e.labels or e.rows %}<table>
{% if e.labels %}<tr><th>Labels</th><td>{% for lang, text in e.labels %}
<span lang="{{ lang }}">{{ text }}</span><span class="lang">{{ lang }}</span>
{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endif %}
{% for name, values in e.rows %}<tr><th>{{ name }}</th>
<td>{{ values|join(_sep(values)) }}</td></tr>
{% endfor %}</table>{% endif %}
{% if e.properties %}<table class="constraints">
<tr><th>Path</th><th>Constraints</th><th>Severity</th><th>Message</th></tr>
{% for p in e.properties %}<tr><td>{{ p.path }}</td>
<td>{{ p.constraints|join("<br>"|safe) }}</td>
<td class="sev-{{ p.severity }}">{{ p.severity }}</td>
<td>{% for lang, text in p.messages %}<span lang="{{ lang }}">{{ text }}</span>
{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}</table>{% endif %}
{% for messages, select in e.queries %}<p><strong>SPARQL constraint</strong>:
{{ messages|join(" / "|safe) }}</p>
<pre><code>{{ select }}</code></pre>
{% endfor %}
</section>
{% endmacro %}"""

_ENV = Environment(
    loader=DictLoader(
        {
            "layout.html": _LAYOUT,
            "term.html": _TERM,
        }
    ),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _sep(values: list[Markup]) -> Markup:
    """Blank-node structures one per line; names and values in a comma-separated run."""
    return Markup("<br>") if any(v.startswith(("[", "(")) for v in values) else Markup(", ")


_ENV.globals["_sep"] = _sep


def render(**values: object) -> str:
    return _ENV.get_template("layout.html").render(**values)

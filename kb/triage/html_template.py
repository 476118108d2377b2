"""The Jinja template and stylesheet of triage.html (one self-contained page)."""

CSS = """
:root { --ink:#1d2733; --muted:#5b6773; --line:#dfe4ea; --bg:#f5f7fa; --card:#fff;
  --blue:#2f6fb3; --blue-soft:#e6eff9; --orange:#d9731a; --orange-soft:#fdf0e3;
  --red:#c23b3b; --green:#2e8b57; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; }
header { background:#1f3550; color:#fff; padding:18px 32px 16px; }
header h1 { margin:0; font-size:22px; font-weight:600; }
header p { margin:4px 0 0; color:#c9d5e3; font-size:13px; }
main { max-width:1200px; margin:0 auto; padding:20px 32px 8px; }
.cards { display:grid; grid-template-columns:repeat(5,1fr); gap:12px; margin-bottom:18px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.card .n { font-size:28px; font-weight:650; line-height:1.1; }
.card .k { color:var(--muted); font-size:12.5px; margin-top:2px; }
.card.bad .n { color:var(--red); } .card.ok .n { color:var(--blue); }
.card.new .n { color:var(--orange); } .card.grey .n { color:var(--muted); }
.grid2 { display:grid; grid-template-columns:1fr 1fr; gap:14px; }
section { background:var(--card); border:1px solid var(--line); border-radius:8px;
  padding:14px 18px 12px; margin-bottom:16px; }
section h2 { font-size:16px; margin:0 0 2px; }
section .sub { color:var(--muted); font-size:12.5px; margin:0 0 10px; }
.chart { width:100%; height:auto; display:block; }
.chart .lbl { font-size:12px; fill:var(--ink); }
.chart a .lbl { fill:var(--blue); text-decoration:underline; }
.chart .val { font-size:12px; fill:var(--muted); }
.chart .bar.explained { fill:var(--blue); } .chart .bar.new { fill:var(--orange); }
.chart .col { fill:var(--red); opacity:.82; }
.chart .grid { stroke:var(--line); stroke-width:1; }
.chart .axis { font-size:11px; fill:var(--muted); }
.legend { font-size:12px; color:var(--muted); margin-top:6px; }
.sw { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 4px 0 10px; vertical-align:-1px; }
.sw.explained { background:var(--blue); } .sw.new { background:var(--orange); }
table { width:100%; border-collapse:collapse; font-size:13px; }
th { text-align:left; font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase;
  letter-spacing:.03em; border-bottom:2px solid var(--line); padding:6px 8px; }
td { border-bottom:1px solid var(--line); padding:6px 8px; vertical-align:top; }
tr:last-child td { border-bottom:0; }
td.num, th.num { text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums; }
code, .mono { font-family:ui-monospace,"Cascadia Mono",Consolas,Menlo,monospace; font-size:12px; }
.tpl { background:var(--orange-soft); border-radius:4px; padding:1px 5px; word-break:break-word; }
.cmd { user-select:all; word-break:break-all; }
tr.draft td { border-top:none; padding-top:0; }
.err { color:#3b4652; word-break:break-word; }
.tag { display:inline-block; border-radius:10px; padding:0 8px; font-size:11.5px; font-weight:600; white-space:nowrap; }
.tag.failed { background:#fbe5e5; color:var(--red); } .tag.succeeded { background:#e3f3ea; color:var(--green); }
.tag.new { background:var(--orange-soft); color:var(--orange); }
a { color:var(--blue); }
.muted { color:var(--muted); }
.small { font-size:11.5px; } .nowrap { white-space:nowrap; }
th.wide { width:42%; }
.pct { color:var(--muted); font-size:12px; margin-left:4px; }
details > summary { cursor:pointer; color:var(--blue); margin:4px 0; }
footer { max-width:1200px; margin:0 auto; padding:4px 32px 24px; color:var(--muted); font-size:12px; }
@media (max-width: 900px) { .cards { grid-template-columns:repeat(2,1fr); } .grid2 { grid-template-columns:1fr; } }
@media print { header { background:#fff; color:#000; } section { break-inside:avoid; } }
"""

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleet triage: {{ r.failed }} failed of {{ r.analyzed }} logs</title>
<style>{{ css }}</style>
</head>
<body>
<header>
  <h1>Task sequence fleet triage</h1>
  <p>{{ r.logs }} log{{ "" if r.logs == 1 else "s" }} from {{ inputs }}{% if r.since %}, since {{ r.since }}{% endif %}{% if r.by_day %} &middot; failures from {{ first_day }} to {{ last_day }}{% endif %}</p>
</header>
<main>
<div class="cards">
  <div class="card bad"><div class="n">{{ r.failed }}</div><div class="k">failed deployments on {{ r.failed_machines }} machine{{ "" if r.failed_machines == 1 else "s" }}</div></div>
  <div class="card ok"><div class="n">{{ r.explained }}</div><div class="k">explained by {{ r.by_article|length }} article{{ "" if r.by_article|length == 1 else "s" }}</div></div>
  <div class="card new"><div class="n">{{ r.unexplained }}</div><div class="k">not explained yet, in {{ r.unexplained_clusters|length }} new problem{{ "" if r.unexplained_clusters|length == 1 else "s" }}</div></div>
  <div class="card grey"><div class="n">{{ r.succeeded }}</div><div class="k">logs of runs that did not fail</div></div>
  <div class="card grey"><div class="n">{{ r.unreadable|length }}</div><div class="k">files could not be analyzed</div></div>
</div>

{% if causes_svg %}
<section>
  <h2>Failures by cause</h2>
  <p class="sub">Each failed deployment counted once, under the article that explains it or under its new problem.</p>
  {{ causes_svg }}
  <div class="legend"><span class="sw explained"></span>explained by an article<span class="sw new"></span>new problem (no article yet)</div>
</section>
{% endif %}
{% if daily_svg %}
<section>
  <h2>Failures per day</h2>
  <p class="sub">By the date of the failure in the log{% if undated %}; {{ undated }} failure{{ "" if undated == 1 else "s" }} without dates not shown{% endif %}.</p>
  {{ daily_svg }}
</section>
{% endif %}

<section id="articles">
  <h2>Known causes</h2>
  <p class="sub">Failures an article explains: open the article for the cause and the fix.</p>
  {% if articles %}
  <table><tr><th>Article</th><th class="num">Failures</th><th class="num">Machines</th></tr>
  {% for a in articles %}<tr>
    <td>{% if a.url %}<a href="{{ a.url }}">{{ a.title }}</a>{% else %}{{ a.title }}{% endif %} <span class="muted mono">{{ a.id }}</span></td>
    <td class="num">{{ a.count }}<span class="pct">{{ a.pct }}</span></td><td class="num">{{ a.machines }}</td></tr>
  {% endfor %}</table>
  {% else %}<p class="muted">No failure matched an article.</p>{% endif %}
</section>

<section id="new">
  <h2>New problems <span class="tag new">no article yet</span></h2>
  <p class="sub">Unexplained failures grouped by their root error with server names, ids, paths and numbers masked (<code>&lt;*&gt;</code>). Largest first: each row may deserve an article.</p>
  {% if clusters %}
  <table><tr><th>Root error template</th><th class="num">Failures</th><th class="num">Machines</th><th>Failing step</th><th>Seen</th><th>Example</th></tr>
  {% for c in clusters %}<tr>
    <td><code class="tpl">{{ c.template }}</code></td>
    <td class="num">{{ c.count }}</td><td class="num">{{ c.machines }}</td>
    <td>{{ c.action }}</td>
    <td class="mono small nowrap">{{ c.first_day or "" }}{% if c.last_day and c.last_day != c.first_day %} –<br>{{ c.last_day }}{% endif %}</td>
    <td><a href="{{ c.href }}" class="mono" title="{{ c.path }}">{{ c.log }}</a>{% if c.line %}<div class="muted small">line {{ c.line }} &middot; {{ c.label }}</div>{% endif %}</td></tr>
  <tr class="draft"><td colspan="6" class="small">Draft an article: <code class="cmd">{{ c.draft }}</code></td></tr>
  {% endfor %}</table>
  <p class="sub">Add <code>--articles DIR</code> to a draft command to write into your own articles folder (an installed kb keeps its bundled articles read-only).</p>
  {% else %}<p class="muted">Every failure is explained by an article.</p>{% endif %}
</section>

<div class="grid2">
<section id="steps">
  <h2>Failing steps</h2>
  {% if r.by_action %}<table><tr><th>Task sequence step</th><th class="num">Failures</th></tr>
  {% for name, n in r.by_action.items() %}<tr><td>{{ name }}</td><td class="num">{{ n }}</td></tr>{% endfor %}
  </table>{% else %}<p class="muted">No failures.</p>{% endif %}
</section>
<section id="codes">
  <h2>Root error codes</h2>
  {% if codes %}<table><tr><th>Code</th><th>Name</th><th class="num">Failures</th></tr>
  {% for c in codes %}<tr><td class="mono">{{ c.code }}</td><td class="mono">{{ c.name }}</td><td class="num">{{ c.count }}</td></tr>{% endfor %}
  </table>{% else %}<p class="muted">No failures.</p>{% endif %}
</section>
</div>

{% if repeats %}
<section id="repeats">
  <h2>Machines that failed more than once</h2>
  <table><tr><th>Machine</th><th class="num">Failures</th><th>Logs</th></tr>
  {% for m in repeats %}<tr><td>{{ m.label }}{% if m.sub %} <span class="muted mono small">{{ m.sub }}</span>{% endif %}</td><td class="num">{{ m.failures }}</td>
    <td>{% for f in m.files %}<a href="{{ f.href }}" class="mono" title="{{ f.path }}">{{ f.log }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
  {% endfor %}</table>
</section>
{% endif %}

<section id="machines">
  <h2>Machines</h2>
  <p class="sub">{{ r.machine_count }} machine{{ "" if r.machine_count == 1 else "s" }}; failed first, newest first. A machine's cause is that of its latest failing log.</p>
  <table><tr><th>Machine</th><th>Outcome</th><th>Date</th><th>Failing step</th><th>Cause</th><th class="wide">Root error</th><th>Log</th></tr>
  {% for m in machines %}<tr>
    <td><span class="nowrap">{{ m.label }}</span>{% if m.logs > 1 %} <span class="muted">({{ m.logs }} logs)</span>{% endif %}{% if m.sub %}<div class="muted mono small" title="{{ m.sub }}">{{ m.sub[:8] }}…</div>{% endif %}</td>
    <td><span class="tag {{ m.outcome }}">{{ m.outcome }}</span></td>
    <td class="mono nowrap">{{ m.date or "" }}</td>
    <td>{{ m.failed_action or "" }}</td>
    <td class="nowrap">{% if m.article %}{% if m.url %}<a href="{{ m.url }}" title="{{ m.title }}">{{ m.article }}</a>{% else %}<span title="{{ m.title }}">{{ m.article }}</span>{% endif %}{% elif m.failures %}<span class="tag new">new problem</span>{% endif %}</td>
    <td class="err">{{ m.root_error }}</td>
    <td class="nowrap"><a href="{{ m.href }}" class="mono" title="{{ m.path }}">{{ m.log }}</a>{% if m.line %}<div class="muted small">line {{ m.line }}</div>{% endif %}</td></tr>
  {% endfor %}</table>
</section>

{% if unreadable %}
<section id="unreadable">
  <h2>Could not analyze</h2>
  <table><tr><th>File</th><th>Reason</th></tr>
  {% for u in unreadable %}<tr><td><a href="{{ u.href }}" class="mono">{{ u.path }}</a></td><td>{{ u.reason }}</td></tr>{% endfor %}
  </table>
</section>
{% endif %}
</main>
<footer>Generated by kb triage {{ r.version }}{% if generated %} on {{ generated }}{% endif %} &middot; articles {{ r.corpus }} &middot; machine data in triage.json and triage.csv</footer>
</body>
</html>
"""

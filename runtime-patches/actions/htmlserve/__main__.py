"""HTMLServe (Medes appl 5): renders a seeded data table through a Chameleon page template.

Params: rows (default 8000), seed (default 1), return_html (default false: return only the summary).
The template is compiled once at import, so a warm sandbox keeps the compiled renderer in memory.
Some cells deliberately hold markup ("<script>", "&"), which the template must escape.
"""
import hashlib
import random

from chameleon import PageTemplate

_TEMPLATE = PageTemplate("""<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"/><title>${title}</title></head>
  <body>
    <h1>${title}</h1>
    <p class="summary">${len(rows)} rows, total score ${total}</p>
    <table id="report">
      <tr><th>#</th><th>Name</th><th>Score</th><th>Tags</th><th>Note</th></tr>
      <tr tal:repeat="row rows" class="${'even' if repeat['row'].even else 'odd'}">
        <td>${row['id']}</td>
        <td>${row['name']}</td>
        <td tal:attributes="data-score row['score']">${'%.2f' % row['score']}</td>
        <td><span tal:repeat="tag row['tags']" class="tag">${tag}</span></td>
        <td>${row['note']}</td>
      </tr>
    </table>
  </body>
</html>
""")

# Chameleon compiles a template on first render; do it now so the warm sandbox holds the compiled code.
_TEMPLATE(title="warm-up", rows=[], total=0)

_NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"]
_TAGS = ["new", "hot", "sale", "eco", "bulk", "rare"]
_NOTES = ["ok", "check <script>alert(1)</script>", "fish & chips", "\"quoted\"", "plain"]


class BadParam(ValueError):
    pass


def _int_param(params, name, default, low, high):
    value = params.get(name, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadParam("param %r must be an integer, got %r" % (name, value))
    if not low <= value <= high:
        raise BadParam("param %r must be in [%d, %d], got %d" % (name, low, high, value))
    return value


def _rows(count, seed):
    rng = random.Random(seed)
    return [{
        "id": index + 1,
        "name": "%s-%04d" % (rng.choice(_NAMES), rng.randrange(10000)),
        "score": round(rng.uniform(0, 100), 2),
        "tags": rng.sample(_TAGS, rng.randint(0, 3)),
        "note": rng.choice(_NOTES),
    } for index in range(count)]


def main(params):
    try:
        count = _int_param(params, "rows", 8000, 0, 200000)
        seed = _int_param(params, "seed", 1, 0, 2**31 - 1)
        return_html = params.get("return_html", False)
        if not isinstance(return_html, bool):
            raise BadParam("param 'return_html' must be true or false, got %r" % (return_html,))
    except BadParam as err:
        return {"error": str(err)}

    rows = _rows(count, seed)
    total = round(sum(row["score"] for row in rows), 2)
    html = _TEMPLATE(title="Report for seed %d" % seed, rows=rows, total=total)
    encoded = html.encode("utf-8")
    result = {
        "seed": seed,
        "rows": count,
        "total_score": total,
        "tag_count": sum(len(row["tags"]) for row in rows),
        "notes_with_markup": sum(1 for row in rows if "<" in row["note"]),
        "html_bytes": len(encoded),
        "checksum": hashlib.sha256(encoded).hexdigest(),
    }
    if return_html:
        result["html"] = html
    return result

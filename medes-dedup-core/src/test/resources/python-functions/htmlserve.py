# HTMLServe: Chameleon page templates.
import random

from chameleon import PageTemplate

TEMPLATE = PageTemplate("""<html><body><h1>${title}</h1><table>
<tr tal:repeat="row rows"><td tal:repeat="cell row">${cell}</td></tr></table></body></html>""")


def main(args):
    # Requests are fixed like FunctionBench's inputs; the interpreter's own state still differs per sandbox.
    random.seed(20220405)
    rows = [[random.randint(0, 10**6) for _ in range(10)] for _ in range(200)]
    html = TEMPLATE(title="report", rows=rows)
    return {"length": len(html)}

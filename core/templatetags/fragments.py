"""``{% fragment "name" audience part ... [fill=loader] [timeout=60] %}…{% endfragment %}``: the enclosed
template, rendered once per key and kept in the fragments cache (core/fragments.py) for ``timeout`` seconds at
most (what changes with the clock, "overdue", needs a short one). ``audience`` None (or missing from the
context) renders it every time, uncached. ``fill``: a function (marked ``do_not_call_in_templates``)
returning what the enclosed template needs, called only when it must be rendered, so a cached fragment
costs none of its queries."""

from django import template

from core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, audience, parts, fill, timeout):
        self.nodelist, self.name, self.audience, self.parts = nodelist, name, audience, parts
        self.fill, self.timeout = fill, timeout

    def _render(self, context, **extra):
        fill = self.fill.resolve(context) if self.fill else None
        with context.push(**(fill() if fill else {}), **extra):
            return self.nodelist.render(context)

    def render(self, context):
        audience = self.audience.resolve(context)
        if not audience:  # None, or a name the context lacks (""): personal, never stored
            return self._render(context)
        request = context.get("request")
        inside_another = context.get("csrf_token") == fragments.CSRF_PLACEHOLDER
        html = fragments.cached(self.name.resolve(context), [p.resolve(context) for p in self.parts], audience,
                                lambda: self._render(context, csrf_token=fragments.CSRF_PLACEHOLDER), request,
                                self.timeout, personal=not inside_another)
        return html


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% fragment %} needs a name and an audience")
    options = {}
    while bits[-1].split("=")[0] in ("fill", "timeout") and "=" in bits[-1]:
        option, value = bits.pop().split("=", 1)
        options[option] = value
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]),
                        [parser.compile_filter(bit) for bit in bits[3:]],
                        parser.compile_filter(options["fill"]) if "fill" in options else None,
                        int(options.get("timeout", fragments.TIMEOUT)))

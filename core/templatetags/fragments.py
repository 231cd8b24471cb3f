"""``{% fragment "name" audience part ... [timeout=60] %}…{% endfragment %}``: the enclosed template, rendered
once per key and kept in the fragments cache (core/fragments.py) for ``timeout`` seconds at most (what
changes with the clock, "overdue", needs a short one). ``audience`` None renders it every time, uncached."""

from django import template

from core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, audience, parts, timeout):
        self.nodelist, self.name, self.audience, self.parts, self.timeout = nodelist, name, audience, parts, timeout

    def render(self, context):
        audience = self.audience.resolve(context)
        if audience is None:
            return self.nodelist.render(context)
        request = context.get("request")

        def render():
            with context.push(csrf_token=fragments.CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        return fragments.cached(self.name.resolve(context), [p.resolve(context) for p in self.parts], audience,
                                render, request, self.timeout)


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% fragment %} needs a name and an audience")
    timeout = fragments.TIMEOUT
    if bits[-1].startswith("timeout="):
        timeout = int(bits.pop()[len("timeout="):])
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]),
                        [parser.compile_filter(bit) for bit in bits[3:]], timeout)

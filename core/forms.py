"""What the forms of every app share."""


def shown_when(form, **conditions: str) -> None:
    """Fields that matter only for some answers of another field of the form, shown only then in a browser
    with JavaScript (``static/js/site.js``, ``dependentFields``): ``grid="audience=grid"``,
    ``options="method!=yes_no"``, ``live_results="secret=off"`` (a checkbox is ``on`` or ``off``; several
    values are separated by commas). Only what the page shows changes: the server checks every field as
    before, and a field with an error is always shown."""
    for name, condition in conditions.items():
        form.fields[name].shown_when = condition

"""What every app's views share: turning a service's refusal into messages on a form."""

from django.core.exceptions import PermissionDenied, ValidationError


def error_messages(error) -> list[str]:
    """The sentences a refusal carries, for a form or a flash message."""
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def attempt(form, call) -> bool:
    """Call a service with a valid form's data; if it refuses, put the reasons on the form (input kept)."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            form.add_error(None, message)
        return False
    return True

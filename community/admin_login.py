"""The admin's sign-in counts failed attempts with the account pages' limits (ACCOUNT_RATE_LIMITS["login_failed"]).

It authenticates through allauth's adapter, so a failed attempt here or on ``/accounts/login/`` uses up
the same allowance: per address (5 in 5 minutes) and per IP (10 a minute), and trying the other door
gains nothing.
"""

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class LimitedAdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            # Refuses (a form error) once too many attempts failed, before the password is even checked.
            self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm

from common.forms import NoColon, PlainLabels
from common.timezones import ZONES
from communities.models import Community, Role


class LoginForm(PlainLabels, AuthenticationForm):
    username = forms.CharField(
        label="Email address",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": "That email address and password don't match an account.",
        "inactive": "This account is switched off.",
    }


class AccountFields(PlainLabels, forms.Form):
    """Name, email, organisation and a password checked by Django's validators."""

    name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        max_length=200,
        required=False,
        help_text="Optional: the organisation you work or volunteer with.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only numbers, not a common password.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. "
                "Sign in, or reset your password."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords don't match.")
        elif first:
            user = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                name=cleaned.get("name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignUpForm(AccountFields):
    community = forms.ModelChoiceField(
        queryset=Community.objects.order_by("name"),
        required=False,
        empty_label="None for now",
        label="Community to join",
        help_text="Optional. Its backbone lead can approve you.",
    )
    message = forms.CharField(
        label="A note to whoever approves you",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: your role, or how you know the community.",
    )
    # A honeypot: people never see this field (CSS hides it and it is out of
    # the tab order) but form-filling robots fill it in, and are refused.
    HONEYPOT = "website"
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.HONEYPOT):
            raise forms.ValidationError(
                "We couldn't create this account. If you're a person, please "
                "try again, or email the core team."
            )
        return cleaned


class InvitationAcceptForm(AccountFields):
    pass


class JoinRequestForm(PlainLabels, forms.Form):
    message = forms.CharField(
        label="A note to the backbone lead",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(PlainLabels, forms.Form):
    email = forms.EmailField(label="Email address to invite", max_length=254)
    community = forms.ModelChoiceField(
        queryset=Community.objects.order_by("name"),
        required=False,
        empty_label="No community",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


# Django's own password forms, with the labels of every other form (no colon);
# a password is taken as typed, so no check on its characters is added


class PasswordResetForm(NoColon, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"


class SetPasswordForm(NoColon, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(NoColon, auth_forms.PasswordChangeForm):
    pass


class TimeZoneForm(PlainLabels, forms.Form):
    time_zone = forms.ChoiceField(
        label="Show times in the time of",
        choices=ZONES,
        help_text="Sessions across states are shown in this zone, with its "
        "daylight saving.",
    )

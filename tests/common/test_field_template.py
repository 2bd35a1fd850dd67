"""includes/_field.html: every field with its label; a checkbox before its words."""

from django import forms
from django.template.loader import render_to_string


class Agreement(forms.Form):
    consent = forms.BooleanField(
        label="People agreed <to> share this.", help_text="Needed to submit."
    )
    title = forms.CharField(label="Title", help_text="A short one.")


def render(field):
    return render_to_string("includes/_field.html", {"field": field})


def test_a_checkbox_comes_before_its_label_and_help():
    form = Agreement(data={"title": "x"})
    html = render(form["consent"])
    box = html.index('<input type="checkbox" name="consent"')
    label = html.index('<label for="id_consent">')
    help_ = html.index('<div class="helptext" id="id_consent_helptext">')
    errors = html.index('class="errorlist')
    assert errors < box < label < help_
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in html
    assert "People agreed &lt;to&gt; share this." in html  # escaped, never |safe
    assert 'class="field field--error field--checkbox"' in html


def test_other_fields_keep_django_s_order():
    html = render(Agreement()["title"])
    assert html.index("<label") < html.index("helptext") < html.index("<input")
    assert "field--checkbox" not in html

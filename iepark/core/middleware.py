"""Activate each signed-in user's remembered language."""

from django.utils import translation


class UserLanguageMiddleware:
    """Use the language stored on the user's person record, if any, over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get("iepark_language")
            if language is None:
                from .models import Person

                language = Person.objects.filter(user=user).values_list("language", flat=True).first() or ""
                request.session["iepark_language"] = language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class LinkScopeMiddleware:
    """Render the request's pages for its user: links to objects they may not open are shown as text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .tables import links_for

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with links_for(user):
            return self.get_response(request)

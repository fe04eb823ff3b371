"""Server-rendered pages (Django templates + htmx), Vietnamese first.

Languages: Vietnamese is the source language. Strings in templates and code are marked with
``{% translate %}`` / ``gettext`` and their msgids ARE the Vietnamese text, so the pages need no catalogue
to render in Vietnamese (the default, ``LANGUAGE_CODE = "vi"``). English comes from
``locale/en/LC_MESSAGES/django.po`` (compiled ``django.mo`` is committed; nothing compiles at run time);
the switch in the header posts to Django's ``set_language``. Model choice labels are Vietnamese in the
models and reach English through :mod:`congvu.web.choice_labels`. Messages from services, rules and the
importer stay Vietnamese. To update the catalogue::

    cd src/congvu/web && django-admin makemessages -l en --no-wrap --no-location && django-admin compilemessages

Dates show as dd/mm/yyyy and numbers as 1.234,5 in both languages (:mod:`congvu.web.formats`, the ``vn``
template filters). htmx 2 is vendored as ``static/web/htmx.min.js`` (0BSD licence beside it).
"""

"""The law as code: pure Python, no Django, no I/O, no clock.

One module per legal text; each rule's docstring cites the article and clause it implements.
"""

"""`make load`: a service counter day under locust against a running server.

``locustfile.py`` is the clerk (it runs in locust's own virtualenv,
``.venv-load``); ``run_load.py`` prepares the database, starts the servers and
writes ``bench/load.json`` (it runs in the project's virtualenv).
"""

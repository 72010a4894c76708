"""
The demo park: a realistic, deterministic park built by ``manage.py demo_park``.

``data`` holds the fixed lists (parties, majors, names, places), ``builder``
turns a seed into a plan and the plan into objects through the services.
"""

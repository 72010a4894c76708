"""
Park operations (issue 6): what the operating company runs for everybody in the park.

Built so far: the service points (canteens, the supermarket, the clinic, barber
shops, express collection points...), their opening hours and notices. The
dormitories, work orders, inspections and surveys join this app later, each as
a section of the same modules (models, policy, services, selectors, views, api).
"""

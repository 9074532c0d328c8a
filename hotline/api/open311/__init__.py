"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), mounted at ``/open311/v2/``.

Plain Django views, JSON or XML by the format extension::

    GET  services.{json|xml}                 active categories that have an Open311 service code
    GET  services/{service_code}.{json|xml}  a service definition (no extra attributes)
    POST requests.{json|xml}                 file an appeal (api_key: an ApiToken key; channel "app")
    GET  requests.{json|xml}                 public service requests: never any requester data
    GET  requests/{id}.{json|xml}            one of them (the id is the order number)

The api_key is checked with ``hotline.directory.tokens.token_verify`` (the same tokens as the REST API's
``Authorization: Bearer``). Modules: ``render`` (JSON/XML bodies and the spec's error format), ``present``
(categories and orders as the spec's records, with personal data masked), ``views`` and ``urls``.
"""

"""The API's routers, one per domain; each endpoint calls one action of the layers below."""

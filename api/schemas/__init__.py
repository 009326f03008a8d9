"""Input and output schemas of the API (pydantic, through django-ninja): the OpenAPI document, the input
validation and the JSON answers all follow from these declarations."""

from payments.tests.utils import buyer, gadget_kind, merchant, site  # noqa: F401 - fixtures

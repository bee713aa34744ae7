from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """The national synthetic dataset and the benchmark: tools for measuring chiso, not part of a province's
    installation (left out of the production settings)."""

    name = "chiso.scale"
    label = "scale"

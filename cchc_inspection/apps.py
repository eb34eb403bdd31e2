from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc_inspection"
    verbose_name = "Dùng chung"

    def ready(self):
        from . import integrity

        integrity.connect()

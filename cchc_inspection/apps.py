from django.apps import AppConfig


def vietnamese_full_name(user):
    """ "Nguyễn Thị Hương": the family name (last_name) first, as Vietnamese names are
    written; Django's own ``get_full_name`` would give "Thị Hương Nguyễn"."""
    return " ".join(f"{user.last_name} {user.first_name}".split())


class CoreConfig(AppConfig):
    name = "cchc_inspection"
    verbose_name = "Dùng chung"

    def ready(self):
        from django.contrib.auth import get_user_model

        get_user_model().get_full_name = vietnamese_full_name

        from . import integrity

        integrity.connect()

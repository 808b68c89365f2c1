from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "Education and training"
    # `manage.py load_reference_data` calls it after the workforce reference data.
    reference_data_loader = "education.services.programmes_load"

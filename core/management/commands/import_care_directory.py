from core.management.dated_import import DatedFileImportCommand
from core.services.care_directory import care_directory_import


class Command(DatedFileImportCommand):
    help = (
        "Add the social care and independent providers of CQC's care directory (with "
        "filters, as CSV) in their ICS. All or nothing: a file with any wrong row changes nothing."
    )
    importer = staticmethod(care_directory_import)
    date_help = (
        "The day the file describes; today by default. New locations join their ICS from this day."
    )

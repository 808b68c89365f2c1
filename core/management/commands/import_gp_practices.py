from core.management.dated_import import DatedFileImportCommand
from core.services.epraccur import gp_practices_import


class Command(DatedFileImportCommand):
    help = (
        "Update GP practices (names, open and closed, ICS) from the current NHS ODS GP "
        "practice file, epraccur.csv. All or nothing: a file with any wrong row changes nothing."
    )
    importer = staticmethod(gp_practices_import)
    date_help = (
        "The day the file describes (its publication); today by default. Each practice is in "
        "the file's ICB from this day."
    )

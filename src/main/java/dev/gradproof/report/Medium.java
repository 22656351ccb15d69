package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Where a message is read, and so what it may point at: a console run beside its report.json can say
 * "see report.json"; a JUnit failure in another project, an Allure page or a teaching page has no
 * report.json and perhaps no {@code ./gradproof} launcher, and must not send its reader there.
 */
@API(status = INTERNAL, since = "0.2")
public enum Medium {
    /** The console of a run that writes reports/&lt;run-id&gt;/report.json. */
    CONSOLE(true, true, Messages.SHOWN_MISMATCHES),
    /** The console of a run that writes no report (--no-report, mutants). */
    CONSOLE_WITHOUT_REPORT(false, true, Messages.SHOWN_MISMATCHES),
    /** summary.md, written beside report.json by the command line. */
    SUMMARY(true, true, 20),
    /** An assertion failure, possibly in another project that only has gradproof as a test dependency. */
    JUNIT(false, false, Messages.SHOWN_MISMATCHES),
    /** An Allure result: the full mismatch table is its CSV attachment. */
    ALLURE(false, false, Messages.SHOWN_MISMATCHES),
    /** A generated teaching page: read in the repository, without a run's report. */
    TEACHING_PAGE(false, true, Messages.SHOWN_MISMATCHES);

    private final boolean reportJson;
    private final boolean launcher;
    private final int shownMismatches;

    Medium(boolean reportJson, boolean launcher, int shownMismatches) {
        this.reportJson = reportJson;
        this.launcher = launcher;
        this.shownMismatches = shownMismatches;
    }

    /** A report.json of the same run sits beside this text. */
    public boolean hasReportJson() {
        return reportJson;
    }

    /** The reader is in a checkout where {@code ./gradproof} runs. */
    public boolean hasLauncher() {
        return launcher;
    }

    /** Rows of the mismatch table shown in the text itself. */
    public int shownMismatches() {
        return shownMismatches;
    }

    /** Where the rest of a list cut short is: {@code " (see report.json)"}, or nothing when it is nowhere to be read. */
    String whereTheRestIs() {
        if (reportJson) {
            return " (see report.json)";
        }
        return this == ALLURE ? " (in the \"mismatches (CSV)\" attachment)" : "";
    }
}

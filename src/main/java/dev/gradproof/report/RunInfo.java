package dev.gradproof.report;

import java.time.Instant;

/**
 * @param complete false while a run is in progress or when it was interrupted: its report is partial
 */
public record RunInfo(String runId, Instant started, Instant finished, boolean complete) {
}

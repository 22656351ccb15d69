package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * @param complete false while a run is in progress or when it was interrupted: its report is partial
 */
@API(status = INTERNAL, since = "0.2")
public record RunInfo(String runId, Instant started, Instant finished, boolean complete) {
}

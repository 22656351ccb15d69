package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.CsvTable;
import org.apiguardian.api.API;

/**
 * A csv file's examples as a {@link Dataset}. The file was read, checked and encoded once, when the
 * spec was loaded ({@link CsvTable}); every trial gets its own copy, so no trial can change another's data.
 */
@API(status = INTERNAL, since = "0.2")
public final class CsvData {
    private CsvData() {
    }

    /**
     * @throws IllegalArgumentException when the table does not have the network's widths (a table is
     *                                  read for its spec's network, so only a hand-made spec can get here)
     */
    public static Dataset of(CsvTable table, int inputs, int outputs) {
        if (table.inputs() != inputs || table.outputs() != outputs) {
            throw new IllegalArgumentException(table.file() + " was read as " + table.inputs() + " inputs and "
                    + table.outputs() + " outputs; the network has " + inputs + " and " + outputs);
        }
        return new Dataset(table.examples(), inputs, outputs, table.x(), table.y());
    }
}

package tagger.worker.inference;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the operator wants inference to run: {@code auto}, {@code cpu} or {@code cuda}. */
public enum Device {
    /** CUDA when an NVIDIA GPU is present and usable, otherwise CPU with a warning. */
    AUTO,
    CPU,
    /** CUDA or a start-up error: for GPU hosts, where silently running on CPU would hide a broken install. */
    CUDA;

    /** Parses the configuration value ({@code auto|cpu|cuda}, any case). */
    public static Device parse(String value) {
        for (Device d : values()) {
            if (d.name().equalsIgnoreCase(value.strip())) {
                return d;
            }
        }
        throw new IllegalArgumentException("device must be one of "
                + Arrays.stream(values()).map(Device::toString).collect(Collectors.joining("|")) + ", got \"" + value + "\"");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package tagger.loadtest.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import tagger.loadtest.DurationText;

/** Lets options take {@code 250ms}, {@code 5s}, {@code 2m}. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return DurationText.parse(value);
    }
}

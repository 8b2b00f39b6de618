package tagger.api.http;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The tagging options {@code topK} and {@code minScore} given as text (a query string, a batch's
 * fields): one parser for both endpoints. Problems are added to {@code problems} naming the rule and
 * the value ({@code echo} shortens a value quoted back).
 */
public final class OptionText {
    private OptionText() {
    }

    /** Null when not given. */
    public static Integer topK(String value, List<String> problems, UnaryOperator<String> echo) {
        if (value == null) {
            return null;
        }
        try {
            Integer k = Integer.valueOf(value);
            if (k < 1) {
                problems.add("topK must be an integer >= 1, got " + value);
            }
            return k;
        } catch (NumberFormatException e) {
            problems.add("topK must be an integer >= 1, got '" + echo.apply(value) + "'");
            return null;
        }
    }

    /** Null when not given. */
    public static Double minScore(String value, List<String> problems, UnaryOperator<String> echo) {
        if (value == null) {
            return null;
        }
        try {
            Double m = Double.valueOf(value);
            if (!Double.isFinite(m)) {
                problems.add("minScore must be a finite number, got " + value);
            }
            return m;
        } catch (NumberFormatException e) {
            problems.add("minScore must be a number, got '" + echo.apply(value) + "'");
            return null;
        }
    }
}

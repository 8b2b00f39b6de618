package tagger.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The tagging options {@code topK} and {@code minScore} as a caller wrote them: text (a query string, a
 * batch's fields) or a value of a {@code POST /v1/tags} JSON body. One place for the rules and their
 * wording; problems are added to {@code problems} naming the rule and the value ({@code echo} shortens
 * a text value quoted back; a JSON body names the field quoted and shows the value as JSON).
 */
public final class OptionText {
    /** The least {@code topK}: one tag. */
    static final int MIN_TOP_K = 1;
    private static final String TOP_K_RULE = "must be an integer >= " + MIN_TOP_K;
    private static final String MIN_SCORE_RULE = "must be a number";
    private static final String MIN_SCORE_FINITE_RULE = "must be a finite number";

    private OptionText() {
    }

    /** Null when not given. */
    public static Integer topK(String value, List<String> problems, UnaryOperator<String> echo) {
        if (value == null) {
            return null;
        }
        try {
            Integer k = Integer.valueOf(value);
            if (k < MIN_TOP_K) {
                problems.add(problem("topK", TOP_K_RULE, value));
            }
            return k;
        } catch (NumberFormatException e) {
            problems.add(problem("topK", TOP_K_RULE, "'" + echo.apply(value) + "'"));
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
                problems.add(problem("minScore", MIN_SCORE_FINITE_RULE, value));
            }
            return m;
        } catch (NumberFormatException e) {
            problems.add(problem("minScore", MIN_SCORE_RULE, "'" + echo.apply(value) + "'"));
            return null;
        }
    }

    /** A JSON body's {@code topK}: null when absent, JSON null, or refused. */
    static Integer topK(JsonNode k, List<String> problems) {
        if (k == null || k.isNull()) {
            return null;
        }
        if (!k.canConvertToInt() || !k.isIntegralNumber() || k.asInt() < MIN_TOP_K) {
            problems.add(problem("\"topK\"", TOP_K_RULE, k.toString()));
            return null;
        }
        return k.asInt();
    }

    /** A JSON body's {@code minScore}: null when absent, JSON null, or refused (a string, or too large for a double). */
    static Double minScore(JsonNode m, List<String> problems) {
        if (m == null || m.isNull()) {
            return null;
        }
        if (!m.isNumber() || !Double.isFinite(m.asDouble())) {
            problems.add(problem("\"minScore\"", MIN_SCORE_RULE, m.toString()));
            return null;
        }
        return m.asDouble();
    }

    private static String problem(String field, String rule, String shown) {
        return field + " " + rule + ", got " + shown;
    }
}

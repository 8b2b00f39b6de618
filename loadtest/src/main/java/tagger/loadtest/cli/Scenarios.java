package tagger.loadtest.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tagger.loadtest.sweep.RunSpec;

/** Reads {@code --scenario}: one name, a comma list (equal shares), or name=weight pairs. */
final class Scenarios {
    static final Set<String> KNOWN = Set.of("url", "bytes", "multi", "bulk");

    private Scenarios() {
    }

    static List<RunSpec.Share> parse(String text) {
        List<RunSpec.Share> shares = new ArrayList<>();
        for (String term : text.split(",")) {
            String[] kv = term.trim().split("=");
            String name = kv[0].trim();
            if (!KNOWN.contains(name) || kv.length > 2) {
                throw new IllegalArgumentException("--scenario takes url, bytes, multi or bulk, optionally with a weight "
                        + "(url=0.8,bytes=0.2), got '" + term.trim() + "'");
            }
            double weight = 1;
            if (kv.length == 2) {
                try {
                    weight = Double.parseDouble(kv[1].trim());
                } catch (NumberFormatException e) {
                    weight = -1;
                }
                if (!(weight > 0)) {
                    throw new IllegalArgumentException("scenario weight must be a number > 0, got '" + term.trim() + "'");
                }
            }
            shares.add(new RunSpec.Share(name, weight));
        }
        return shares;
    }
}

package tagger.loadtest.cost;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What the fleet costs per hour, and so what a million images cost at a measured goodput: the
 * number a capacity plan needs and no load tool prints.
 *
 * @param workerPerHour $ per worker per hour (e.g. a T4 instance)
 * @param workers       workers serving the load
 * @param apiPerHour    $ per api-server per hour (0 to leave them out)
 * @param apiServers    api-servers serving the load
 */
public record CostModel(double workerPerHour, int workers, double apiPerHour, int apiServers) {

    public static final CostModel NONE = new CostModel(0, 0, 0, 0);

    public CostModel {
        if (!(workerPerHour >= 0) || !(apiPerHour >= 0) || workers < 0 || apiServers < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "costs and counts must be >= 0, got worker $%s/h x %d, api $%s/h x %d",
                    workerPerHour, workers, apiPerHour, apiServers));
        }
    }

    public boolean isSet() {
        return fleetPerHour() > 0;
    }

    /** $ per hour for the whole fleet. */
    public double fleetPerHour() {
        return workerPerHour * workers + apiPerHour * apiServers;
    }

    /**
     * $ per million images at {@code imagesPerSecond} (the goodput: images tagged within the SLO);
     * empty when nothing was tagged in time (the cost is unbounded) or no cost was given.
     */
    public OptionalDouble perMillionImages(double imagesPerSecond) {
        if (!isSet() || !(imagesPerSecond > 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(fleetPerHour() / (imagesPerSecond * 3600.0) * 1_000_000.0);
    }

    @Override
    public String toString() {
        if (!isSet()) {
            return "no cost given";
        }
        String s = String.format(Locale.ROOT, "%d worker(s) × $%.3f/h", workers, workerPerHour);
        if (apiServers > 0 && apiPerHour > 0) {
            s += String.format(Locale.ROOT, " + %d api-server(s) × $%.3f/h", apiServers, apiPerHour);
        }
        return s + String.format(Locale.ROOT, " = $%.3f/h", fleetPerHour());
    }
}

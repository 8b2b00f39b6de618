package tagger.loadtest.cli;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import tagger.loadtest.origin.FaultPlan;
import tagger.loadtest.origin.Photo;
import tagger.loadtest.sweep.RunSpec;

/** Options of the image origin: what it serves and how badly it behaves. */
final class OriginOptions {
    @Option(names = "--image", split = ",", defaultValue = "640x480.jpg",
            description = "Photo kinds, picked at random per request: WxH.jpg or WxH.png, e.g. 320x240.jpg,1920x1080.png "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> images;

    @Option(names = "--origin-latency", defaultValue = "none", description = "Origin delay before answering: none, "
            + "fixed:20ms, uniform:10ms:200ms, lognormal:150ms:1.0 (median, sigma) (default: ${DEFAULT-VALUE}).")
    String latency;

    @Option(names = "--origin-faults", defaultValue = "", description = "Share of origin requests that fail: "
            + "404=1%%,500=2%%,429=1%%,truncate=1%%,drip=2%%.")
    String faults;

    @Option(names = "--drip-time", defaultValue = "2s", converter = DurationConverter.class,
            description = "A drip fault spreads the image over this long (default: ${DEFAULT-VALUE}).")
    Duration dripTime;

    @Option(names = "--origin", description = "Use an origin already running at this URL (loadtest origin) instead of "
            + "starting one.")
    URI external;

    @Option(names = "--origin-bind", defaultValue = "127.0.0.1", description = "Address the built-in origin listens on "
            + "(default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--origin-host", description = "Host written into image URLs, as the api-server reaches the origin "
            + "(default: the bind address).")
    String advertise;

    @Option(names = "--origin-port", defaultValue = "0", description = "Port of the built-in origin (default: any free one).")
    int port;

    @Option(names = "--variants", defaultValue = "4", description = "Generated pictures per photo kind (default: ${DEFAULT-VALUE}).")
    int variants;

    List<Photo> photos() {
        return images.stream().map(Photo::parse).distinct().toList();
    }

    FaultPlan faults() {
        return FaultPlan.parse(latency, faults, dripTime);
    }

    RunSpec.Origin origin() {
        return new RunSpec.Origin(bind, advertise == null ? bind : advertise, port, external, variants);
    }
}

package tagger.launcher.bulk;

/**
 * A line a terminal shows in place: each update returns to the start of the line and blanks whatever
 * of the previous, longer text would otherwise stay behind ({@code "failed 2ed 1"}). Plain carriage
 * return and spaces, no escape codes, so that every terminal and log viewer shows the same.
 */
final class StatusLine {
    private int shown;

    /** What to print to replace the line on screen with {@code line}. */
    String replace(String line) {
        String blanks = " ".repeat(Math.max(0, shown - line.length()));
        shown = line.length();
        return "\r" + line + blanks;
    }

    /** What to print to replace the line with its last text and move on to the next line. */
    String finish(String line) {
        String out = replace(line) + "\n";
        shown = 0;
        return out;
    }

    /** What to print before a line of its own while a status line is on screen: it is cleared first. */
    String interrupt() {
        if (shown == 0) {
            return "";
        }
        String out = "\r" + " ".repeat(shown) + "\r";
        shown = 0;
        return out;
    }
}

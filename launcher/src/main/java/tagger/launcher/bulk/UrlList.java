package tagger.launcher.bulk;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's input file: one item per line, either {@code url} (its id is then the line number) or
 * {@code id<TAB>url}. Blank lines and lines starting with {@code #} are skipped. Read chunk by chunk,
 * so a file of a hundred million lines never sits in memory.
 */
final class UrlList {
    /** One item and the line it came from (from 1). */
    record Item(String id, String url, long line) {
    }

    private UrlList() {
    }

    /** Parses one line; null for a line that holds no item. */
    static Item parse(String line, long number) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int tab = line.indexOf('\t');
        if (tab >= 0) {
            return new Item(line.substring(0, tab).strip(), line.substring(tab + 1).strip(), number);
        }
        return new Item(Long.toString(number), text, number);
    }

    /** How many items the file holds. */
    static long count(Path file) throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = r.readLine()) != null) {
                if (parse(line, ++number) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Reads the file's items in chunks of {@code size}, in order. */
    static final class Chunks implements AutoCloseable {
        private final BufferedReader reader;
        private final int size;
        private long number;
        private int index;

        Chunks(Path file, int size) throws IOException {
            this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            this.size = size;
        }

        /** The index the next {@link #next()} chunk will have. */
        int nextIndex() {
            return index;
        }

        /** The next chunk, empty at the end of the file. */
        List<Item> next() throws IOException {
            List<Item> items = new ArrayList<>(size);
            String line;
            while (items.size() < size && (line = reader.readLine()) != null) {
                Item item = parse(line, ++number);
                if (item != null) {
                    items.add(item);
                }
            }
            if (!items.isEmpty()) {
                index++;
            }
            return items;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}

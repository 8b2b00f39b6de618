package tagger.launcher.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlListTest {
    @Test
    void aLineIsAUrlWhoseIdIsItsLineNumberOrAnIdTabUrl() {
        assertEquals(new UrlList.Item("7", "https://a.test/x.jpg", 7), UrlList.parse("  https://a.test/x.jpg ", 7));
        assertEquals(new UrlList.Item("photo-1", "https://a.test/1.jpg", 3),
                UrlList.parse("photo-1\thttps://a.test/1.jpg", 3));
        assertNull(UrlList.parse("   ", 1));
        assertNull(UrlList.parse("# exported 2026-11-22", 1));
    }

    @Test
    void theFileIsReadInChunksSkippingBlankAndCommentLines(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("urls.txt");
        Files.writeString(file, "# header\nhttp://a.test/1\n\nhttp://a.test/2\nx\thttp://a.test/3\nhttp://a.test/4\n");

        assertEquals(4, UrlList.count(file));
        try (UrlList.Chunks chunks = new UrlList.Chunks(file, 3)) {
            assertEquals(0, chunks.nextIndex());
            List<UrlList.Item> first = chunks.next();
            assertEquals(List.of("2", "4", "x"), first.stream().map(UrlList.Item::id).toList());
            assertEquals(List.of("6"), chunks.next().stream().map(UrlList.Item::id).toList());
            assertEquals(2, chunks.nextIndex());
            assertEquals(List.of(), chunks.next());
            assertEquals(2, chunks.nextIndex(), "an empty read is no chunk");
        }
    }
}

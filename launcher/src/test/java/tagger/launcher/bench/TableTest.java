package tagger.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void consoleAlignsTheFirstColumnLeftAndNumbersRight() {
        Table t = new Table("batch", "raw img/s").row("1", "99.2").row("32", "134.5");

        assertEquals("""
                batch  raw img/s
                ----------------
                1           99.2
                32         134.5
                """, t.console());
    }

    @Test
    void wideCellsWidenTheirColumn() {
        Table t = new Table("stage", "p50").row("client round trip", "1234.5");

        assertEquals("""
                stage                 p50
                -------------------------
                client round trip  1234.5
                """, t.console());
    }

    @Test
    void markdownRightAlignsAllButTheFirstColumn() {
        Table t = new Table("batch", "ratio", "duty").row("8", "0.93 (0.91-0.95)", "0.97");

        assertEquals("""
                | batch | ratio | duty |
                |---|--:|--:|
                | 8 | 0.93 (0.91-0.95) | 0.97 |
                """, t.markdown());
    }

    @Test
    void pipesInCellsAreEscapedInMarkdown() {
        assertEquals("| a\\|b |\n|---|\n", new Table("a|b").markdown());
    }

    @Test
    void rowOfTheWrongWidthIsRefusedNamingTheColumns() {
        Table t = new Table("batch", "raw");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row("1"));

        assertEquals("row has 1 cells, the table has 2 columns [batch, raw]", e.getMessage());
    }

    @Test
    void tableWithoutColumnsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Table::new);
        assertEquals("a table needs at least one column", e.getMessage());
    }
}

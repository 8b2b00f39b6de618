package tagger.imaging;

import java.io.DataInputStream;
import java.io.IOException;

/** A stand-in for {@link HeifProcess} whose decoder never returns, as a decoder stuck in a loop. */
public final class HangingHeifProcess {

    private HangingHeifProcess() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(System.in);
        in.readFully(new byte[in.readInt()]);
        in.readLong();
        in.readInt();
        Thread.sleep(Long.MAX_VALUE);
    }
}

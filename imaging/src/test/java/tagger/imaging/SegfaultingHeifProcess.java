package tagger.imaging;

import java.io.DataInputStream;
import java.io.IOException;

/** A stand-in for {@link HeifProcess} whose native code crashes (SIGSEGV) on the first image it gets. */
public final class SegfaultingHeifProcess {

    private SegfaultingHeifProcess() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(System.in);
        in.readFully(new byte[in.readInt()]);
        in.readLong();
        in.readInt();
        System.err.println("segfaulting on purpose");
        new com.sun.jna.Pointer(8).getLong(0); // a read at address 8: a real native crash, as a decoder bug would cause
    }
}

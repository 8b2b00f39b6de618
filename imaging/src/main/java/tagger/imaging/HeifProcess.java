package tagger.imaging;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The child process that runs libheif for {@link IsolatedHeifDecoder}: reads requests from stdin,
 * answers on stdout, one at a time, until stdin closes. If libheif crashes on a hostile file, only
 * this process dies.
 *
 * <p>Request: {@code int length, bytes, long maxPixels, int subsampling}. Answer: {@code byte 0,
 * int width, int height, int sourceWidth, int sourceHeight, int iccLength (-1 for none), icc, rgb}
 * or {@code byte 1 (undecodable) | 2 (too many pixels), UTF message}.
 */
public final class HeifProcess {

    static final int OK = 0;
    static final int UNDECODABLE = 1;
    static final int TOO_MANY_PIXELS = 2;

    private HeifProcess() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out, 1 << 16));
        String format = args.length > 0 ? args[0] : "HEIF";
        while (true) {
            byte[] bytes;
            long maxPixels;
            int f;
            try {
                bytes = new byte[in.readInt()];
                in.readFully(bytes);
                maxPixels = in.readLong();
                f = in.readInt();
            } catch (EOFException e) {
                return; // the parent closed stdin: done
            }
            ImageFormat sniffed = ImageFormat.sniff(bytes);
            String name = sniffed == null ? format : sniffed.displayName();
            try {
                HeifDecoder.Decoded d = HeifDecoder.decode(bytes, name, maxPixels, (w, h) -> f);
                out.writeByte(OK);
                out.writeInt(d.width());
                out.writeInt(d.height());
                out.writeInt(d.sourceWidth());
                out.writeInt(d.sourceHeight());
                out.writeInt(d.iccProfile() == null ? -1 : d.iccProfile().length);
                if (d.iccProfile() != null) {
                    out.write(d.iccProfile());
                }
                out.write(d.rgb());
            } catch (UndecodableImageException e) {
                out.writeByte(e.code() == tagger.common.ErrorCode.TOO_MANY_PIXELS ? TOO_MANY_PIXELS : UNDECODABLE);
                out.writeUTF(e.getMessage());
            } catch (RuntimeException e) {
                out.writeByte(UNDECODABLE);
                out.writeUTF("cannot decode " + name + " (" + bytes.length + " bytes): " + e);
            }
            out.flush();
        }
    }
}

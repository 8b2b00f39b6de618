package tagger.imaging;

import java.util.List;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

/** The model input the photo-format tests decode for. */
final class PhotoFormatsTestSpec {

    /** Pixel values as fed: (v / 255 - 0) / 1, so tolerances read as fractions of full scale. */
    static final PreprocessSpec SPEC = new PreprocessSpec(Layout.NCHW, 224, 224, ColorOrder.RGB,
            Resize.SHORTER_SIDE_THEN_CENTER_CROP, 256, 1 / 255.0, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));

    private PhotoFormatsTestSpec() {
    }
}

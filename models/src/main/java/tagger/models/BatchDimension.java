package tagger.models;

/** How a generated model declares its batch (first) dimension. */
public enum BatchDimension {
    /** Symbolic dimension {@code N}: any batch size. */
    DYNAMIC,
    /** Fixed to 1, like many exported models: the worker must run such a model one image at a time. */
    FIXED_ONE
}

package tagger.launcher;

/** A running tagger stack (api-server(s) + worker(s)) that callers reach over HTTP. */
interface Stack extends AutoCloseable {

    /** Base URL of the api-server, e.g. {@code http://127.0.0.1:8080}. */
    String url();

    /** One line saying what runs where, for the console. */
    String describe();

    @Override
    void close();
}

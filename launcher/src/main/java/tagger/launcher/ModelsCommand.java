package tagger.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tagger.models.ModelsMain;

/** {@code ./tagger models KIND DIR}: writes a generated model directory. */
@Command(name = "models", description = "Write a generated model directory: demo, mobilenetv2, mobilenetv2-int8, resnet50.")
final class ModelsCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "demo | mobilenetv2 | mobilenetv2-int8 | resnet50")
    String kind;

    @Parameters(index = "1", description = "output directory")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ModelsMain.main(new String[] {kind, dir.toString()});
        return 0;
    }
}

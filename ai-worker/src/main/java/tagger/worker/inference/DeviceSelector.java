package tagger.worker.inference;

import ai.onnxruntime.OrtException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides between CPU and CUDA. The GPU check comes first because merely trying CUDA on a CPU host
 * with the GPU build of ONNX Runtime unpacks a ~580 MB provider library and takes seconds.
 */
final class DeviceSelector {

    /** Whether this host has an NVIDIA GPU. */
    @FunctionalInterface
    interface GpuProbe {
        boolean nvidiaGpuPresent();

        /** The driver's device node or its proc entry: present on GPU hosts and in GPU-enabled containers. */
        GpuProbe DEVICE_FILES = () -> Files.exists(Path.of("/dev/nvidia0"))
                || Files.isDirectory(Path.of("/proc/driver/nvidia/gpus"));
    }

    /** Attaches the CUDA execution provider to the session being configured. */
    @FunctionalInterface
    interface CudaProvider {
        void attach(int deviceId) throws OrtException;
    }

    /**
     * The outcome: the device in use ({@code cpu} or {@code cuda:0}) and why, for the start-up log.
     *
     * @param fallback true when CUDA was wanted (auto on a GPU host) but could not be used
     */
    record Selection(String device, String reason, boolean fallback) {
    }

    static final int CUDA_DEVICE = 0;

    private DeviceSelector() {
    }

    /**
     * @throws IllegalStateException when {@code cuda} is demanded and cannot be used, with ONNX Runtime's message
     */
    static Selection select(Device wanted, GpuProbe probe, CudaProvider cuda) {
        return switch (wanted) {
            case CPU -> new Selection("cpu", "device=cpu", false);
            case CUDA -> {
                try {
                    cuda.attach(CUDA_DEVICE);
                } catch (OrtException e) {
                    throw new IllegalStateException("device=cuda but the CUDA execution provider cannot be used: "
                            + e.getMessage() + " (use device=auto to fall back to CPU)", e);
                }
                yield new Selection("cuda:" + CUDA_DEVICE, "device=cuda", false);
            }
            case AUTO -> {
                if (!probe.nvidiaGpuPresent()) {
                    yield new Selection("cpu", "device=auto and no NVIDIA GPU found (no /dev/nvidia0, no /proc/driver/nvidia/gpus)", false);
                }
                try {
                    cuda.attach(CUDA_DEVICE);
                    yield new Selection("cuda:" + CUDA_DEVICE, "device=auto and an NVIDIA GPU is present", false);
                } catch (OrtException e) {
                    yield new Selection("cpu", "device=auto found an NVIDIA GPU but CUDA cannot be used, falling back to CPU: "
                            + e.getMessage(), true);
                }
            }
        };
    }
}

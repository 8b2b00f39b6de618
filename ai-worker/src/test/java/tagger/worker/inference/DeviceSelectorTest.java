package tagger.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {
    private static final DeviceSelector.GpuProbe NO_GPU = () -> false;
    private static final DeviceSelector.GpuProbe GPU = () -> true;

    /** Records CUDA attach attempts; fails them with {@code failure} when set. */
    static final class RecordingCuda implements DeviceSelector.CudaProvider {
        final List<Integer> attached = new ArrayList<>();
        final String failure;

        RecordingCuda(String failure) {
            this.failure = failure;
        }

        @Override
        public void attach(int deviceId) throws OrtException {
            attached.add(deviceId);
            if (failure != null) {
                throw new OrtException(OrtException.OrtErrorCode.ORT_EP_FAIL, failure);
            }
        }
    }

    @Test
    void cpuNeverTouchesCuda() {
        RecordingCuda cuda = new RecordingCuda(null);
        assertEquals("cpu", DeviceSelector.select(Device.CPU, GPU, cuda).device());
        assertEquals(List.of(), cuda.attached);
    }

    @Test
    void autoWithoutAGpuChoosesCpuWithoutTryingCuda() {
        RecordingCuda cuda = new RecordingCuda(null);
        DeviceSelector.Selection s = DeviceSelector.select(Device.AUTO, NO_GPU, cuda);
        assertEquals("cpu", s.device());
        assertFalse(s.fallback());
        assertEquals("device=auto and no NVIDIA GPU found (no /dev/nvidia0, no /proc/driver/nvidia/gpus)", s.reason());
        assertEquals(List.of(), cuda.attached, "trying CUDA on a CPU host costs seconds and ~580 MB of temp space");
    }

    @Test
    void autoWithAUsableGpuChoosesCudaDeviceZero() {
        RecordingCuda cuda = new RecordingCuda(null);
        assertEquals("cuda:0", DeviceSelector.select(Device.AUTO, GPU, cuda).device());
        assertEquals(List.of(0), cuda.attached);
    }

    @Test
    void autoFallsBackToCpuWithTheRuntimeMessageWhenCudaFails() {
        DeviceSelector.Selection s = DeviceSelector.select(Device.AUTO, GPU, new RecordingCuda("libcublasLt.so.12: cannot open shared object file"));
        assertEquals("cpu", s.device());
        assertTrue(s.fallback());
        assertTrue(s.reason().startsWith("device=auto found an NVIDIA GPU but CUDA cannot be used, falling back to CPU: "), s.reason());
        assertTrue(s.reason().contains("libcublasLt.so.12: cannot open shared object file"), s.reason());
    }

    @Test
    void cudaThatCannotBeUsedIsAStartupErrorCarryingTheRuntimeMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelector.select(Device.CUDA, NO_GPU, new RecordingCuda("Failed to find CUDA shared provider")));
        assertTrue(e.getMessage().startsWith("device=cuda but the CUDA execution provider cannot be used: "), e.getMessage());
        assertTrue(e.getMessage().contains("Failed to find CUDA shared provider"), e.getMessage());
    }

    @Test
    void cudaIsTriedEvenWithoutADetectedGpuBecauseTheOperatorInsisted() {
        RecordingCuda cuda = new RecordingCuda(null);
        assertEquals("cuda:0", DeviceSelector.select(Device.CUDA, NO_GPU, cuda).device());
        assertEquals(List.of(0), cuda.attached);
    }

    @Test
    void deviceParsesConfigValuesInAnyCaseAndRejectsOthersListingTheChoices() {
        assertEquals(Device.AUTO, Device.parse("auto"));
        assertEquals(Device.CUDA, Device.parse(" CUDA "));
        assertEquals(Device.CPU, Device.parse("Cpu"));
        assertEquals("device must be one of auto|cpu|cuda, got \"gpu\"",
                assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu")).getMessage());
    }
}

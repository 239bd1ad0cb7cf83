package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.util.List;

/** The CUDA backend's host side ({@link BatchPlan}, {@link StackPass}) driving {@link JavaLayerKernels}. */
final class EmulatedCudaBackend implements QrnnBackend {

    @Override
    public List<StepResult> step(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
        BatchPlan plan = BatchPlan.of(stack, states, chunks);
        return plan.batch() == 0 ? List.of() : StackPass.run(plan, states, chunks, new JavaLayerKernels(stack));
    }

    @Override
    public String name() {
        return "cuda-host-emulated";
    }

    @Override
    public void close() {
    }
}

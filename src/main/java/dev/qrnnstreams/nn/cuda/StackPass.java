package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.util.List;

/**
 * The batched forward pass of a QRNN stack as a sequence of device operations: gather every key's state
 * and chunk, upload once, then per layer lay out windows, one product for the whole batch, pool, and
 * keep the carried inputs; download once and scatter the new states.
 *
 * <p>Dense stacks (Bradbury et al. 2017, section 2.1) concatenate each layer's input and output: the
 * output buffer gets the input's columns copied in and the pooling writes right after them.
 */
final class StackPass {

    private StackPass() {
    }

    /** Runs the planned batch on {@code kernels}. */
    static List<StepResult> run(BatchPlan plan, List<QrnnState> states, List<float[]> chunks, LayerKernels kernels) {
        kernels.reserve(plan);
        plan.gather(states, chunks, kernels.stateStaging(), kernels.inputStaging());
        kernels.upload(plan);
        int source = 0;
        for (int l = 0; l < plan.layers(); l++) {
            QrnnLayerSpec spec = plan.spec(l);
            int target = 1 - source;
            kernels.layOutWindows(plan, l, source);
            if (plan.rows() > 0) {
                kernels.project(plan, l);
            }
            if (plan.outputOffset(l) > 0) {
                kernels.copyColumns(plan, source, spec.inputSize(), target, plan.outputStride(l), spec.inputSize());
            }
            kernels.pool(plan, l, target, plan.outputOffset(l), plan.outputStride(l));
            kernels.carry(plan, l, source);
            source = target;
        }
        int last = plan.layers() - 1;
        kernels.download(plan, source, plan.outputOffset(last), plan.outputStride(last));
        return plan.scatter(states, kernels.stateResult(), kernels.outputResult());
    }
}

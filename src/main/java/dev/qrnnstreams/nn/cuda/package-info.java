/**
 * The CUDA backend of the QRNN core: cuBLAS for each layer's convolution product over the whole batch and
 * f/fo/ifo pooling kernels compiled at run time with NVRTC, through JavaCPP's CUDA presets; the only
 * package that touches native CUDA.
 *
 * <p>Reference: J. Bradbury, S. Merity, C. Xiong, R. Socher, "Quasi-Recurrent Neural Networks",
 * ICLR 2017 (arXiv:1611.01576).
 */
package dev.qrnnstreams.nn.cuda;

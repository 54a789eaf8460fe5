// CUDA build of the shared preprocessing kernel (backends/gpu_preprocess_kernel.inc).
#include <cuda_runtime.h>

#define GPU_NAME "CUDA"
#define GPU_PLATFORM "cuda"
#define GPU_ERROR_T cudaError_t
#define GPU_SUCCESS cudaSuccess
#define GPU_ERROR_STRING cudaGetErrorString
#define GPU_MALLOC cudaMalloc
#define GPU_FREE cudaFree
#define GPU_MEMCPY cudaMemcpy
#define GPU_H2D cudaMemcpyHostToDevice
#define GPU_D2H cudaMemcpyDeviceToHost
#define GPU_SET_DEVICE cudaSetDevice
#define GPU_GET_DEVICE_COUNT cudaGetDeviceCount
#define GPU_GET_LAST_ERROR cudaGetLastError
#define GPU_DEVICE_SYNCHRONIZE cudaDeviceSynchronize

#include "backends/gpu_preprocess_kernel.inc"

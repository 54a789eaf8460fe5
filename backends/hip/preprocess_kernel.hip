// HIP build of the shared preprocessing kernel (backends/gpu_preprocess_kernel.inc).
#include <hip/hip_runtime.h>

#define GPU_NAME "HIP"
#define GPU_PLATFORM "hip"
#define GPU_ERROR_T hipError_t
#define GPU_SUCCESS hipSuccess
#define GPU_ERROR_STRING hipGetErrorString
#define GPU_MALLOC hipMalloc
#define GPU_FREE hipFree
#define GPU_MEMCPY hipMemcpy
#define GPU_H2D hipMemcpyHostToDevice
#define GPU_D2H hipMemcpyDeviceToHost
#define GPU_SET_DEVICE hipSetDevice
#define GPU_GET_DEVICE_COUNT hipGetDeviceCount
#define GPU_GET_LAST_ERROR hipGetLastError
#define GPU_DEVICE_SYNCHRONIZE hipDeviceSynchronize

#include "backends/gpu_preprocess_kernel.inc"

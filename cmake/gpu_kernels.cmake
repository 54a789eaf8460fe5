# CUDA and HIP preprocessing kernels (backends/cuda, backends/hip), each a static library linked
# into the LibTorch module (its torchscript backend is their one caller, so the GPU runtime stays
# out of imaxbench itself) and into the gpu tests, when its toolchain is present. The CPU build
# never needs either.
#
# CUDA: enable_language(CUDA) with nvcc (CUDA 13 lives in /usr/local/cuda/bin, often not on PATH).
# HIP: CMake 3.25's enable_language(HIP) looks for hip-lang under <root>/lib/cmake and fails on
# Debian's multiarch layout, so we use the FindHIP module Debian ships and hip_add_library, which
# compiles .hip sources through hipcc for IMAXBENCH_HIP_ARCH without a GPU present.

function(imaxbench_gpu_wanted option found out)
  if(${option} STREQUAL "AUTO")
    set(${out} ${found} PARENT_SCOPE)
  elseif(${option})
    if(NOT ${found})
      message(FATAL_ERROR "${ARGN}")
    endif()
    set(${out} ON PARENT_SCOPE)
  else()
    set(${out} OFF PARENT_SCOPE)
  endif()
endfunction()

# --- CUDA ---
set(_nvcc_found OFF)
if(NOT IMAXBENCH_WITH_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER)
    find_program(_nvcc nvcc HINTS /usr/local/cuda/bin)
    if(_nvcc)
      set(CMAKE_CUDA_COMPILER ${_nvcc})
    endif()
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(_nvcc_found ON)
  endif()
endif()
imaxbench_gpu_wanted(${IMAXBENCH_WITH_CUDA} ${_nvcc_found} IMAXBENCH_CUDA_ON
                     "IMAXBENCH_WITH_CUDA=ON but no nvcc was found (put /usr/local/cuda/bin on PATH)")
if(IMAXBENCH_CUDA_ON)
  if(NOT CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES ${IMAXBENCH_CUDA_ARCHITECTURES})
  endif()
  enable_language(CUDA)
  # CMake 3.25 predates nvcc 13 and leaves its C++20 flag empty ("requires CUDA20"); name it.
  if(NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
    set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  endif()
  find_package(CUDAToolkit REQUIRED)
  add_library(imaxbench_cuda_kernels STATIC ${CMAKE_SOURCE_DIR}/backends/cuda/preprocess_kernel.cu)
  set_target_properties(imaxbench_cuda_kernels PROPERTIES POSITION_INDEPENDENT_CODE ON CUDA_STANDARD 20)
  imaxbench_module_include_root(backends backends_root)  # the kernels are the backends module's code
  target_include_directories(imaxbench_cuda_kernels PRIVATE ${backends_root})
  target_link_libraries(imaxbench_cuda_kernels PUBLIC CUDA::cudart)
  if(TARGET imaxbench_torch)
    target_link_libraries(imaxbench_torch PRIVATE imaxbench_cuda_kernels)
  endif()
  target_compile_definitions(imaxbench_backends PUBLIC IMAXBENCH_HAVE_CUDA_KERNELS=1)
  message(STATUS "imaxbench: CUDA kernels on (${CMAKE_CUDA_COMPILER}, archs ${CMAKE_CUDA_ARCHITECTURES})")
endif()

# --- HIP (only when CUDA is off: one GPU runtime per build, as LibTorch has one) ---
set(_hip_found OFF)
if(NOT IMAXBENCH_WITH_HIP STREQUAL "OFF" AND NOT IMAXBENCH_CUDA_ON)
  list(APPEND CMAKE_MODULE_PATH /usr/lib/x86_64-linux-gnu/cmake/hip /opt/rocm/lib/cmake/hip)
  find_program(_hipcc hipcc)
  if(_hipcc)
    if(NOT HIP_ROOT_DIR AND EXISTS /usr/lib/x86_64-linux-gnu/cmake/hip)
      set(HIP_ROOT_DIR /usr CACHE PATH "HIP installation (Debian: /usr)")
    endif()
    find_package(HIP MODULE QUIET)
    if(HIP_FOUND)
      set(_hip_found ON)
    endif()
  endif()
endif()
imaxbench_gpu_wanted(${IMAXBENCH_WITH_HIP} ${_hip_found} IMAXBENCH_HIP_ON
                     "IMAXBENCH_WITH_HIP=ON but hipcc/FindHIP were not found (apt-get install hipcc), or CUDA is on")
if(IMAXBENCH_HIP_ON)
  set(HIP_HIPCC_FLAGS --offload-arch=${IMAXBENCH_HIP_ARCH} -std=c++20 -fPIC -I${IMAXBENCH_MODULE_INCLUDES}/backends)
  set_source_files_properties(${CMAKE_SOURCE_DIR}/backends/hip/preprocess_kernel.hip PROPERTIES HIP_SOURCE_PROPERTY_FORMAT 1)
  hip_add_library(imaxbench_hip_kernels STATIC ${CMAKE_SOURCE_DIR}/backends/hip/preprocess_kernel.hip)
  find_library(IMAXBENCH_AMDHIP64 amdhip64 REQUIRED)
  target_link_libraries(imaxbench_hip_kernels INTERFACE ${IMAXBENCH_AMDHIP64})
  if(TARGET imaxbench_torch)
    target_link_libraries(imaxbench_torch PRIVATE imaxbench_hip_kernels)
  endif()
  target_compile_definitions(imaxbench_backends PUBLIC IMAXBENCH_HAVE_HIP_KERNELS=1)
  message(STATUS "imaxbench: HIP kernels on (hipcc, ${IMAXBENCH_HIP_ARCH})")
endif()

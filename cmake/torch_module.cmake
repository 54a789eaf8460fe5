# The LibTorch module (backends/torch_module.h): backends/torch/*.cc and the CUDA/HIP kernels they
# call, built as libimaxbench_torch.so beside imaxbench, which opens it on first use
# (backends/torch_module_loader.cc). imaxbench itself then links no LibTorch: its start-up drops
# from ~0.7 s (300 shared libraries) to milliseconds.
#
# The module carries no copy of the harness. Its calls into images, tokenizers and model packages
# resolve at dlopen against the program that opens it ("the host"), which therefore links every
# object of the backends module and the modules below it and exports their imaxbench:: symbols
# (cmake/torch_module_host.dynlist); see imaxbench_host_torch_module below. Only imaxbench::
# symbols, so that LibTorch's own libraries never bind to the host's header-only code (JSON, CLI).

# Called from backends/CMakeLists.txt, where find_package(Torch) set TORCH_LIBRARIES.
function(imaxbench_add_torch_module sources)
  add_library(imaxbench_torch MODULE ${sources})
  set_target_properties(imaxbench_torch PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  # The host's headers and definitions, not its code (the archives are not PIC, and one copy of
  # the harness per process keeps its process-wide state single).
  imaxbench_module_include_root(backends backends_root)  # it is the backends module's code
  target_include_directories(imaxbench_torch PRIVATE ${backends_root})
  target_compile_definitions(imaxbench_torch PRIVATE
    $<TARGET_PROPERTY:imaxbench_backends,INTERFACE_COMPILE_DEFINITIONS>)
  target_link_libraries(imaxbench_torch PRIVATE ${TORCH_LIBRARIES})
  # LibTorch's own headers are not -Wextra clean; keep the warnings for our code only.
  target_compile_options(imaxbench_torch PRIVATE -Wall -Wextra -Wno-unused-parameter)
  # Peak device memory (torch/device_memory.cc) reads the CUDA caching allocator, which lives in
  # c10_cuda: Caffe2Targets.cmake defines that target only in a CUDA LibTorch (not in Debian's
  # CPU-only 1.13, and a ROCm build names it c10_hip).
  if(TARGET c10_cuda)
    target_link_libraries(imaxbench_torch PRIVATE c10_cuda)
    target_compile_definitions(imaxbench_torch PRIVATE IMAXBENCH_TORCH_CUDA=1)
    message(STATUS "imaxbench: LibTorch has CUDA; profile reports the caching allocator's peak")
  endif()
  # The build folder's module path, baked into the loader alone (as for SentencePiece: a path in
  # every file's flags would keep two build folders from sharing ccache entries).
  set_source_files_properties(${CMAKE_SOURCE_DIR}/backends/torch_module_loader.cc PROPERTIES
    COMPILE_DEFINITIONS IMAXBENCH_TORCH_MODULE="$<TARGET_FILE:imaxbench_torch>")
endfunction()

# Makes `target` (imaxbench, a test binary) able to open the module; a no-op without LibTorch.
# --whole-archive: the module needs objects the host itself may not (model packages, tokenizers).
function(imaxbench_host_torch_module target)
  if(NOT TARGET imaxbench_torch)
    return()
  endif()
  # The module is the backends module's code: it can call only what that module sees.
  get_property(seen GLOBAL PROPERTY IMAXBENCH_MODULE_SEES_backends)
  set(archives "")
  foreach(m IN LISTS seen)
    string(APPEND archives " $<TARGET_FILE:imaxbench_${m}>")
  endforeach()
  target_link_options(${target} PRIVATE
    "LINKER:--dynamic-list=${CMAKE_SOURCE_DIR}/cmake/torch_module_host.dynlist"
    "SHELL:-Wl,--whole-archive ${archives} -Wl,--no-whole-archive")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${CMAKE_SOURCE_DIR}/cmake/torch_module_host.dynlist)
  add_dependencies(${target} imaxbench_torch)
endfunction()

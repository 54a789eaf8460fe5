# One static library per module, and the arrows between them (README "Architecture"). A module
# compiles against its own include root (build/module_includes/NAME), which holds links to its own
# folder and to the folders of the modules it uses, directly or through another; no other header
# is there. So an #include of a module it may not use fails to compile ("No such file or
# directory"), and the arrows cannot erode one include at a time. Tests, benchmarks and tools sit
# above every module and see the whole source folder.

set(IMAXBENCH_MODULE_INCLUDES ${CMAKE_BINARY_DIR}/module_includes)

# imaxbench_module(NAME USES dep... SOURCES file...) makes imaxbench_NAME. USES lists modules
# already defined, which keeps the graph acyclic by construction.
function(imaxbench_module name)
  cmake_parse_arguments(PARSE_ARGV 1 M "" "" "USES;SOURCES")
  set(visible ${name})
  foreach(dep IN LISTS M_USES)
    get_property(dep_visible GLOBAL PROPERTY IMAXBENCH_MODULE_SEES_${dep})
    if(NOT dep_visible)
      message(FATAL_ERROR "module ${name} uses ${dep}, which is not defined before it")
    endif()
    list(APPEND visible ${dep_visible})
  endforeach()
  list(REMOVE_DUPLICATES visible)
  set_property(GLOBAL PROPERTY IMAXBENCH_MODULE_SEES_${name} ${visible})

  set(root ${IMAXBENCH_MODULE_INCLUDES}/${name})
  file(MAKE_DIRECTORY ${root})
  # Links left by an earlier configure whose arrows differed go first (file(REMOVE) on a link
  # removes the link, never the folder it points to).
  file(GLOB old_links LIST_DIRECTORIES true ${root}/*)
  foreach(link IN LISTS old_links)
    if(IS_SYMLINK ${link})
      file(REMOVE ${link})
    endif()
  endforeach()
  foreach(m IN LISTS visible)
    file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${m} ${root}/${m} SYMBOLIC)
  endforeach()

  add_library(imaxbench_${name} STATIC ${M_SOURCES})
  target_include_directories(imaxbench_${name} PRIVATE ${root})
  foreach(dep IN LISTS M_USES)
    target_link_libraries(imaxbench_${name} PUBLIC imaxbench_${dep})
  endforeach()
  target_compile_options(imaxbench_${name} PRIVATE -Wall -Wextra)
endfunction()

# The include root of `name`, for targets built from a module's sources outside its library
# (the LibTorch module is the backends module's code).
function(imaxbench_module_include_root name out)
  set(${out} ${IMAXBENCH_MODULE_INCLUDES}/${name} PARENT_SCOPE)
endfunction()

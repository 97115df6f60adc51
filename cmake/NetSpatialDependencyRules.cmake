# DESIGN.md §1 dependency rules, checked at configure time over the full (transitive) link graph:
#   core   -> Qt6::Core (Gui at most), GDAL, PROJ; never Qt6::Widgets
#   models -> LibTorch + the standard library; no Qt, GDAL or PROJ
#   ui     -> core, Qt6::Widgets, QCustomPlot; never models
# Configuration fails when a rule is broken.

# Collects the transitive link dependencies of `target` into `out_var`.
function(_netspatial_collect_links target out_var)
  set(seen "")
  set(queue ${target})
  while(queue)
    list(POP_FRONT queue current)
    if(current IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${current})
    if(NOT TARGET ${current})
      continue()
    endif()
    get_target_property(type ${current} TYPE)
    set(links "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${current} LINK_LIBRARIES)
      if(direct)
        list(APPEND links ${direct})
      endif()
    endif()
    get_target_property(iface ${current} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND links ${iface})
    endif()
    foreach(link IN LISTS links)
      # Look inside generator expressions: $<LINK_ONLY:Foo> and conditional $<$<CONFIG:X>:Foo>
      # both name Foo; a forbidden link must not hide behind a condition.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
      string(REGEX REPLACE "^\\$<\\$<[^>]*>:(.*)>$" "\\1" link "${link}")
      if(link MATCHES "^\\$<")
        continue()
      endif()
      list(APPEND queue ${link})
    endforeach()
  endwhile()
  list(REMOVE_ITEM seen ${target})
  set(${out_var} ${seen} PARENT_SCOPE)
endfunction()

function(_netspatial_forbid target regex why)
  if(NOT TARGET ${target})
    return()
  endif()
  _netspatial_collect_links(${target} deps)
  foreach(dep IN LISTS deps)
    if(dep MATCHES "${regex}")
      message(FATAL_ERROR "Dependency rule broken: ${target} links ${dep}. ${why} (DESIGN.md §1)")
    endif()
  endforeach()
endfunction()

function(netspatial_check_dependency_rules)
  _netspatial_forbid(netspatial_core "^Qt6?::(Widgets|OpenGLWidgets)$|Qt6?Widgets|netspatial_(ui|models)$|torch|c10"
                     "core must not use widgets, LibTorch, or depend on ui/models.")
  _netspatial_forbid(netspatial_models "^Qt6?::|libQt6|GDAL|gdal|PROJ::|libproj|netspatial_(core|ui)$"
                     "models may use LibTorch and the standard library only.")
  _netspatial_forbid(netspatial_ui "^netspatial_models$|torch|c10"
                     "ui must not depend on models (app wires them).")

  # models' public headers must be pure C++: no Qt and no <torch/...> (pimpl).
  file(GLOB_RECURSE headers "${PROJECT_SOURCE_DIR}/models/include/*.h")
  foreach(header IN LISTS headers)
    file(STRINGS "${header}" bad REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](torch/|ATen/|c10/|Q[A-Za-z]|qt)")
    if(bad)
      message(FATAL_ERROR "Dependency rule broken: public header ${header} includes ${bad}. "
                          "models' public headers contain no Qt and no Torch types (DESIGN.md §1)")
    endif()
  endforeach()
  message(STATUS "NetSpatial dependency rules: OK")
endfunction()

# Testing only: add one forbidden link so that tests/cmake can prove the check fails.
function(netspatial_inject_rule_violation what)
  if(what STREQUAL "")
    return()
  elseif(what STREQUAL "core-widgets")
    target_link_libraries(netspatial_core PRIVATE Qt6::Widgets)
  elseif(what STREQUAL "models-qt")
    target_link_libraries(netspatial_models PRIVATE Qt6::Core)
  elseif(what STREQUAL "models-gdal")
    target_link_libraries(netspatial_models PRIVATE GDAL::GDAL)
  elseif(what STREQUAL "ui-models")
    target_link_libraries(netspatial_ui PRIVATE netspatial_models)
  else()
    message(FATAL_ERROR "Unknown NETSPATIAL_INJECT_RULE_VIOLATION '${what}'")
  endif()
endfunction()

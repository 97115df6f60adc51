# Common compile settings for every NetSpatial target.
function(netspatial_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers)
  # Torch headers define members called `slots`/`signals`; Qt keywords must stay off everywhere.
  target_compile_definitions(${target} PUBLIC QT_NO_KEYWORDS)
  # The `tsan` preset: ThreadSanitizer on the code where threads meet (core, ui, app, tests). The
  # models library runs on one worker thread at a time and, like LibTorch and Qt, stays
  # uninstrumented (TSAN_OPTIONS ignore_noninstrumented_modules=1 keeps such libraries quiet).
  if(NETSPATIAL_THREAD_SANITIZER)
    if(NOT target STREQUAL "netspatial_models")
      target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    endif()
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()

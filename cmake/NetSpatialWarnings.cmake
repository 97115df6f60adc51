# Common compile settings for every NetSpatial target.
function(netspatial_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers)
  # Torch headers define members called `slots`/`signals`; Qt keywords must stay off everywhere.
  target_compile_definitions(${target} PUBLIC QT_NO_KEYWORDS)
endfunction()

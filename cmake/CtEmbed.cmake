# ct_embed(OUT_C VAR_PREFIX FILES...): generate a C file holding each file's bytes and a
# table { name, data, len } so migrations and assets ship inside the binary.
function(ct_embed out_c symbol)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${out_c}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_c} -DSYMBOL=${symbol} "-DFILES=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/CtEmbedRun.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/CtEmbedRun.cmake
    COMMENT "Embedding ${symbol}")
endfunction()

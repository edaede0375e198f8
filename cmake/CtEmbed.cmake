# ct_embed(OUT_C SYMBOL FILES...): generate a C file holding each file's bytes and a
# table { name, data, len } so migrations and assets ship inside the binary.
function(ct_embed out_c symbol)
  set(files ${ARGN})
  string(REPLACE ";" "|" files_arg "${files}")
  add_custom_command(
    OUTPUT ${out_c}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_c} -DSYMBOL=${symbol} -DFILES=${files_arg}
            -P ${PROJECT_SOURCE_DIR}/cmake/CtEmbedRun.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/CtEmbedRun.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
endfunction()

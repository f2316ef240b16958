/* TEMPORARY during bring-up; replaced by the real command. */
#include "common.h"
int cmd_convert(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "sgae convert: not built yet\n"); return CLI_FAIL; }

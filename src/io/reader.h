/* The streaming reader is public API: sgae/reader.h. */
#ifndef SGAE_IO_READER_H
#define SGAE_IO_READER_H
#include "sgae/reader.h"
#endif

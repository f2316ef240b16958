/*
 * sgae.h - umbrella header of libsgae, the sparse-graph auto-encoder engine.
 *
 * Conventions of the whole API:
 *  - fallible functions return sgae_status (SGAE_OK = 0); on failure
 *    sgae_last_error() holds a message naming what failed and where;
 *  - node ids inside the library are 0..n-1; graphs carry the map back to
 *    the user's ids, and every output written for users uses it;
 *  - dense matrices are row-major float;
 *  - `sgae_X_free(p)` destroys an object the library created (NULL is
 *    fine); `sgae_X_clear(&s)` releases what a caller-owned struct holds
 *    and zeroes it;
 *  - randomness is counter-based (sgae/rng.h): the same seed gives the same
 *    bits at any thread count.
 */
#ifndef SGAE_H
#define SGAE_H

#include "sgae/version.h"
#include "sgae/error.h"
#include "sgae/util.h"
#include "sgae/file.h"
#include "sgae/container.h"
#include "sgae/rng.h"
#include "sgae/graph.h"
#include "sgae/reader.h"
#include "sgae/io.h"
#include "sgae/kernels.h"
#include "sgae/model.h"
#include "sgae/metrics.h"
#include "sgae/train.h"
#include "sgae/gen.h"
#include "sgae/order.h"
#include "sgae/snapshot.h"
#include "sgae/cluster.h"

#endif

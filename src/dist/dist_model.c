/* Distributed featureless VGAE / GAE on MPI (see sgae/dist.h): each rank
 * holds its rows of Â, of every n x d array, of W0 (n x h, the identity's
 * first layer) and of W0's Adam moments; W1 and its moments are replicated
 * and updated identically on every rank from the same reduced gradient.
 *
 * Bitwise equality with the one-process model (src/model/pass.c, whose
 * every step is repeated here with the same float operations):
 *  - rows are owned in whole blocks of SGAE_DIST_BLOCK (= the model's row
 *    block, 4096, a multiple of its loss block, 1024), so every per-block
 *    sgemm, per-block partial and per-chunk loss sum is the same call on the
 *    same rows as in one process;
 *  - the sums over blocks (dW1, the KL and positive loss terms, the L2
 *    term) run as one sequential chain across the ranks in rank order
 *    (rank q adds its blocks to the running sum of ranks < q and passes it
 *    on), i.e. in exactly the single process's order;
 *  - SpMMs are the ghost-exchange products of sgae_dist_op (bit-identical
 *    rows), ReLU and its mask as the SpMM epilogue does them;
 *  - the decoder: positives over the owned rows of Â, and the permutation
 *    negatives of sample.c: every rank draws the same permutation (4 bytes
 *    per node, the one global array) and the owner of node a = pi[t] sums
 *    dZ[a] over the window pi[t-r..t+r] in the same order; the Z rows of
 *    remote endpoints (ghosts of Â and window nodes) are fetched by request
 *    (MPI_Alltoallv).  No gradient row travels back: as in one process each
 *    pair's score is computed at both endpoints' owners.
 * Only the reported negative loss term is summed in another order (owned
 * positions per rank, then MPI_Allreduce): it agrees to rounding. */
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "dist_internal.h"
#include "internal.h"
#include "sgae/dist.h"
#include "sgae/kernels.h"
#include "sgae/rng.h"
#include "sgae/util.h"

#define LB 1024 /* loss block of src/model (rows per KL / positive partial) */

struct sgae_dist_model {
    MPI_Comm comm;
    int rank, np;
    sgae_model_opts o;
    sgae_dist_op *op;
    int64_t *bounds; /* np + 1 */
    sgae_csr Ag; /* owned rows of Â, global column ids */
    int64_t n, r0, r1, nloc, h, d, L, P, r, nneg;
    int64_t nbl, nchl; /* owned row blocks, owned loss chunks */
    float *w0, *g0, *m0, *v0; /* nloc x h */
    float *w1, *g1, *m1, *v1; /* h x L, replicated */
    int64_t step;
    float *H1, *AH, *ML, *Z, *dZ, *dAH; /* nloc x (h, h, 2d, d, d, h) */
    unsigned char *keep;             /* nloc x h: ReLU (and dropout) keep */
    float *gp;                       /* 2 * nbl * h * d partials */
    float *acc;                      /* h * L running sums */
    double *part;                    /* nchl */
    int32_t *perm;                   /* n */
    int32_t *fid;                    /* fetched global ids, sorted */
    float *frow;                     /* their Z rows */
    int64_t nf, fcap;
    int *cnt;                        /* 4 * np */
    int32_t *req;                    /* ids to serve */
    int64_t reqcap;
    float *sbuf;
    int64_t sbufcap;
    sgae_dist_train_stats st;
};

static sgae_status mpi_ok(int rc, const char *call)
{
    if (rc == MPI_SUCCESS)
        return SGAE_OK;
    return sgae_error_set(SGAE_E_DEP, "dist: %s failed (code %d)", call, rc);
}

/* OpenBLAS runs on one thread during a model call (sgae_blas_pin, as
 * src/model does): the parallelism is the ranks'. */

/* ---- ordered sums across ranks ------------------------------------------ */

/* acc[0..cnt) = 0 + parts of rank 0 in order + parts of rank 1 + ...: the
 * running sum travels rank to rank, then the last rank broadcasts it.
 * parts holds nparts rows of cnt, summed row by row. */
static sgae_status chain_f(sgae_dist_model *m, float *acc, int64_t cnt, const float *parts,
                           int64_t nparts)
{
    sgae_status st = SGAE_OK;
    double t0 = sgae_now();
    if (m->rank == 0)
        memset(acc, 0, (size_t)cnt * sizeof *acc);
    else
        SGAE_CHECK(mpi_ok(MPI_Recv(acc, (int)cnt, MPI_FLOAT, m->rank - 1, 7, m->comm,
                                   MPI_STATUS_IGNORE), "MPI_Recv"));
    for (int64_t b = 0; b < nparts; b++)
        for (int64_t e = 0; e < cnt; e++)
            acc[e] += parts[b * cnt + e];
    if (m->rank + 1 < m->np)
        SGAE_CHECK(mpi_ok(MPI_Send(acc, (int)cnt, MPI_FLOAT, m->rank + 1, 7, m->comm),
                          "MPI_Send"));
    SGAE_CHECK(mpi_ok(MPI_Bcast(acc, (int)cnt, MPI_FLOAT, m->np - 1, m->comm), "MPI_Bcast"));
    m->st.bytes_sent += 2 * cnt * (int64_t)sizeof(float);
done:
    m->st.comm_seconds += sgae_now() - t0;
    return st;
}

static sgae_status chain_d(sgae_dist_model *m, double *sum, const double *parts, int64_t nparts)
{
    sgae_status st = SGAE_OK;
    double t0 = sgae_now();
    double s = 0;
    if (m->rank > 0)
        SGAE_CHECK(mpi_ok(MPI_Recv(&s, 1, MPI_DOUBLE, m->rank - 1, 8, m->comm,
                                   MPI_STATUS_IGNORE), "MPI_Recv"));
    for (int64_t i = 0; i < nparts; i++)
        s += parts[i];
    if (m->rank + 1 < m->np)
        SGAE_CHECK(mpi_ok(MPI_Send(&s, 1, MPI_DOUBLE, m->rank + 1, 8, m->comm), "MPI_Send"));
    SGAE_CHECK(mpi_ok(MPI_Bcast(&s, 1, MPI_DOUBLE, m->np - 1, m->comm), "MPI_Bcast"));
    *sum = s;
done:
    m->st.comm_seconds += sgae_now() - t0;
    return st;
}

/* ---- creation ------------------------------------------------------------ */

void sgae_dist_model_free(sgae_dist_model *m)
{
    if (!m)
        return;
    sgae_dist_op_free(m->op);
    sgae_csr_clear(&m->Ag);
    void *p[] = {m->w0, m->g0, m->m0, m->v0, m->w1, m->g1, m->m1, m->v1, m->H1, m->AH,
                 m->ML, m->Z, m->dZ, m->dAH, m->keep, m->gp, m->acc, m->part, m->perm,
                 m->fid, m->frow, m->cnt, m->req, m->sbuf, m->bounds};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
        free(p[k]);
    free(m);
}

static void glorot_rows(float *w, int64_t g0, int64_t rows, int64_t fan_rows, int64_t cols,
                        int64_t ld, uint64_t seed, uint64_t which)
{
    double lim = sqrt(6.0 / (double)(fan_rows + cols));
    uint64_t purpose = sgae_rng_purpose(SGAE_RNG_INIT, which);
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < cols; c++) {
            double u = sgae_rng_uniform(seed, purpose, (uint64_t)((g0 + r) * cols + c));
            w[r * ld + c] = (float)((2.0 * u - 1.0) * lim);
        }
}

sgae_status sgae_dist_model_create(MPI_Comm comm, const sgae_csr *A, const int64_t *bounds,
                                   const sgae_model_opts *opts, sgae_dist_model **out)
{
    sgae_status st = SGAE_OK;
    sgae_dist_model *m = NULL;
    *out = NULL;
    sgae_model_opts o;
    SGAE_OPTS_OR_DEFAULTS(o, opts, sgae_model_opts_default);
    if (o.kind != SGAE_MODEL_VGAE && o.kind != SGAE_MODEL_GAE)
        return sgae_error_set(SGAE_E_ARG, "dist: unknown model kind %d", (int)o.kind);
    if (o.neg_iid || o.neg_degree)
        return sgae_error_set(SGAE_E_ARG, "dist: only the permutation negative sampler is "
                                          "distributed (no --neg-iid / --neg-degree)");
    if (o.hidden < 1 || o.latent < 1 || o.latent > o.hidden || o.hidden > 65536)
        return sgae_error_set(SGAE_E_ARG, "dist: hidden %lld, latent %lld", (long long)o.hidden,
                              (long long)o.latent);
    if (!(o.dropout >= 0 && o.dropout < 1) || !(o.lr > 0))
        return sgae_error_set(SGAE_E_ARG, "dist: dropout in [0, 1) and lr > 0");
    if (o.self_loops < 0)
        o.self_loops = 0; /* featureless: as sgae_model_create */
    if (o.weight_decay < 0)
        o.weight_decay = 0.0;
    m = sgae_calloc(1, sizeof *m, "distributed model");
    if (!m)
        return SGAE_E_NOMEM;
    m->comm = comm;
    m->o = o;
    SGAE_CHECK(mpi_ok(MPI_Comm_rank(comm, &m->rank), "MPI_Comm_rank"));
    SGAE_CHECK(mpi_ok(MPI_Comm_size(comm, &m->np), "MPI_Comm_size"));
    m->n = A->nrows;
    if (m->n < 2 || m->n >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "dist: %lld nodes", (long long)m->n);
    for (int q = 1; q < m->np; q++)
        if (bounds[q] % SGAE_DIST_BLOCK != 0 && bounds[q] != m->n)
            SGAE_FAIL(SGAE_E_ARG, "dist: bound %lld of part %d is not a multiple of %d rows "
                                  "(partition with align = SGAE_DIST_BLOCK)",
                      (long long)bounds[q], q, SGAE_DIST_BLOCK);
    m->bounds = sgae_alloc((size_t)m->np + 1, sizeof *m->bounds, "partition bounds");
    if (!m->bounds)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: partition bounds");
    memcpy(m->bounds, bounds, ((size_t)m->np + 1) * sizeof *bounds);
    SGAE_CHECK(sgae_dist_op_create(comm, A, bounds, &m->op));
    sgae_dist_op_rows(m->op, &m->r0, &m->r1, NULL);
    const int64_t n = m->n, nloc = m->nloc = m->r1 - m->r0;
    const int64_t h = m->h = o.hidden, d = m->d = o.latent;
    const int64_t L = m->L = o.kind == SGAE_MODEL_VGAE ? 2 * d : d;
    m->nbl = (nloc + SGAE_DIST_BLOCK - 1) / SGAE_DIST_BLOCK;
    m->nchl = (nloc + LB - 1) / LB;

    /* owned rows with global columns (sorted, for the rejection test) */
    const int64_t e0 = A->rowptr[m->r0], nnz = A->rowptr[m->r1] - e0;
    m->Ag.nrows = nloc;
    m->Ag.ncols = n;
    m->Ag.rowptr = sgae_alloc((size_t)nloc + 1, sizeof *m->Ag.rowptr, "owned rows");
    m->Ag.col = sgae_alloc((size_t)nnz + 1, sizeof *m->Ag.col, "owned rows");
    if (!m->Ag.rowptr || !m->Ag.col)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: owned rows");
    for (int64_t i = 0; i <= nloc; i++)
        m->Ag.rowptr[i] = A->rowptr[m->r0 + i] - e0;
    memcpy(m->Ag.col, A->col + e0, (size_t)nnz * sizeof *m->Ag.col);

    /* P and r exactly as sgae_model_create (the nonzero count is summed) */
    long long nz = (long long)nnz, tot = 0;
    SGAE_CHECK(mpi_ok(MPI_Allreduce(&nz, &tot, 1, MPI_LONG_LONG, MPI_SUM, comm),
                      "MPI_Allreduce"));
    m->P = ((int64_t)tot - n) / 2 + (o.self_loops ? n : 0);
    m->r = sgae_model_negatives_per_node(o.neg_ratio, m->P, n);
    m->nneg = n * m->r;

    const size_t nh = (size_t)(nloc * h) + 1, nd = (size_t)(nloc * d) + 1, hl = (size_t)(h * L);
    m->w0 = sgae_alloc_aligned(nh, sizeof(float), "W0 rows");
    m->g0 = sgae_alloc_aligned(nh, sizeof(float), "W0 gradient rows");
    m->m0 = sgae_calloc(nh, sizeof(float), "Adam moments");
    m->v0 = sgae_calloc(nh, sizeof(float), "Adam moments");
    m->w1 = sgae_alloc(hl, sizeof(float), "W1");
    m->g1 = sgae_alloc(hl, sizeof(float), "W1 gradient");
    m->m1 = sgae_calloc(hl, sizeof(float), "Adam moments");
    m->v1 = sgae_calloc(hl, sizeof(float), "Adam moments");
    m->H1 = sgae_alloc_aligned(nh, sizeof(float), "activations");
    m->AH = sgae_alloc_aligned(nh, sizeof(float), "activations");
    m->ML = sgae_alloc_aligned(2 * nd, sizeof(float), "activations");
    m->Z = sgae_alloc_aligned(nd, sizeof(float), "activations");
    m->dZ = sgae_alloc_aligned(nd, sizeof(float), "activations");
    m->dAH = sgae_alloc_aligned(nh, sizeof(float), "activations");
    m->keep = sgae_alloc(nh, 1, "ReLU mask");
    m->gp = sgae_alloc((size_t)(2 * m->nbl * h * d) + 1, sizeof(float), "partial products");
    m->acc = sgae_alloc(hl, sizeof(float), "partial sums");
    m->part = sgae_alloc((size_t)m->nchl + 1, sizeof(double), "loss partials");
    m->perm = sgae_alloc((size_t)n, sizeof(int32_t), "node permutation");
    m->cnt = sgae_calloc((size_t)m->np * 4, sizeof(int), "exchange counts");
    if (!m->w0 || !m->g0 || !m->m0 || !m->v0 || !m->w1 || !m->g1 || !m->m1 || !m->v1 ||
        !m->H1 || !m->AH || !m->ML || !m->Z || !m->dZ || !m->dAH || !m->keep || !m->gp ||
        !m->acc || !m->part || !m->perm || !m->cnt)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: model buffers");
    glorot_rows(m->w0, m->r0, nloc, n, h, h, o.seed, 0);
    glorot_rows(m->w1, 0, h, h, d, L, o.seed, 1);
    if (o.kind == SGAE_MODEL_VGAE)
        glorot_rows(m->w1 + d, 0, h, h, d, L, o.seed, 2);
    *out = m;
    m = NULL;
done:
    sgae_dist_model_free(m);
    return st;
}

/* ---- remote Z rows --------------------------------------------------------- */

static int owner_of(const sgae_dist_model *m, int64_t g);

/* Z row of global node g: owned, or fetched this epoch. */
static inline const float *zrow(const sgae_dist_model *m, int32_t g)
{
    if (g >= m->r0 && g < m->r1)
        return m->Z + (g - m->r0) * m->d;
    int64_t lo = 0, hi = m->nf - 1;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (m->fid[mid] < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return m->frow + lo * m->d;
}

static sgae_status grow(void **p, int64_t *cap, int64_t want, size_t sz, const char *what)
{
    if (want <= *cap)
        return SGAE_OK;
    void *q = sgae_realloc(*p, (size_t)want, sz, what);
    if (!q)
        return SGAE_E_NOMEM;
    *p = q;
    *cap = want;
    return SGAE_OK;
}

/* Fetch the Z rows of every remote endpoint of this epoch's owned pairs:
 * columns of the owned rows of Â outside them, and the permutation window
 * of every owned node.  Requests by id (MPI_Alltoallv), then the rows. */
static sgae_status fetch_rows(sgae_dist_model *m)
{
    sgae_status st = SGAE_OK;
    double t0 = sgae_now();
    const int64_t n = m->n, r = m->r, d = m->d;
    const int np = m->np;
    int64_t cap = m->Ag.rowptr[m->nloc] + 2 * r * m->nloc + 1, nf = 0;
    int64_t fcap_ids = m->fcap;
    SGAE_CHECK(grow((void **)&m->fid, &fcap_ids, cap, sizeof *m->fid, "fetched ids"));
    for (int64_t e = 0; e < m->Ag.rowptr[m->nloc]; e++) {
        int32_t c = m->Ag.col[e];
        if (c < m->r0 || c >= m->r1)
            m->fid[nf++] = c;
    }
    for (int64_t t = 0; t < n; t++) {
        int32_t a = m->perm[t];
        if (a < m->r0 || a >= m->r1)
            continue;
        for (int64_t k = 1; k <= r; k++) {
            int32_t b = m->perm[t + k >= n ? t + k - n : t + k];
            int32_t c = m->perm[t - k < 0 ? t - k + n : t - k];
            if (b < m->r0 || b >= m->r1)
                m->fid[nf++] = b;
            if (c < m->r0 || c >= m->r1)
                m->fid[nf++] = c;
        }
    }
    qsort(m->fid, (size_t)nf, sizeof *m->fid, sgae_dist_cmp_i32);
    int64_t u = 0;
    for (int64_t k = 0; k < nf; k++)
        if (u == 0 || m->fid[k] != m->fid[u - 1])
            m->fid[u++] = m->fid[k];
    m->nf = nf = u;
    m->fcap = fcap_ids;
    free(m->frow);
    m->frow = sgae_alloc((size_t)(nf * d) + 1, sizeof(float), "fetched rows");
    if (!m->frow)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: fetched rows");
    int *rc = m->cnt, *rd = m->cnt + np, *sc = m->cnt + 2 * np, *sd = m->cnt + 3 * np;
    memset(rc, 0, (size_t)np * sizeof *rc);
    for (int64_t k = 0; k < nf; k++)
        rc[owner_of(m, m->fid[k])]++;
    SGAE_CHECK(mpi_ok(MPI_Alltoall(rc, 1, MPI_INT, sc, 1, MPI_INT, m->comm), "MPI_Alltoall"));
    rd[0] = sd[0] = 0;
    for (int q = 1; q < np; q++) {
        rd[q] = rd[q - 1] + rc[q - 1];
        sd[q] = sd[q - 1] + sc[q - 1];
    }
    const int64_t nserve = (int64_t)sd[np - 1] + sc[np - 1];
    SGAE_CHECK(grow((void **)&m->req, &m->reqcap, nserve + 1, sizeof *m->req, "requests"));
    SGAE_CHECK(mpi_ok(MPI_Alltoallv(m->fid, rc, rd, MPI_INT32_T, m->req, sc, sd, MPI_INT32_T,
                                    m->comm), "MPI_Alltoallv"));
    SGAE_CHECK(grow((void **)&m->sbuf, &m->sbufcap, nserve * d + 1, sizeof *m->sbuf,
                    "rows to send"));
    for (int64_t k = 0; k < nserve; k++)
        memcpy(m->sbuf + k * d, m->Z + (m->req[k] - m->r0) * d, (size_t)d * sizeof(float));
    for (int q = 0; q < np; q++) {
        rc[q] *= (int)d;
        rd[q] *= (int)d;
        sc[q] *= (int)d;
        sd[q] *= (int)d;
    }
    SGAE_CHECK(mpi_ok(MPI_Alltoallv(m->sbuf, sc, sd, MPI_FLOAT, m->frow, rc, rd, MPI_FLOAT,
                                    m->comm), "MPI_Alltoallv"));
    m->st.bytes_sent += nserve * (int64_t)(d * sizeof(float)) + nf * (int64_t)sizeof(int32_t);
    if (nf > m->st.max_fetched)
        m->st.max_fetched = nf;
done:
    m->st.comm_seconds += sgae_now() - t0;
    return st;
}

static int owner_of(const sgae_dist_model *m, int64_t g)
{
    const int64_t *b = m->bounds;
    int lo = 0, hi = m->np - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (b[mid] <= g)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* ---- one epoch ------------------------------------------------------------ */

static inline float sigm(float s, float *ex_out)
{
    float ex = expf(-fabsf(s));
    *ex_out = ex;
    return s >= 0 ? 1.0f / (1.0f + ex) : ex / (1.0f + ex);
}

/* Permutation of epoch e: sample.c's Fisher-Yates, on every rank. */
static void draw_perm(sgae_dist_model *m, int64_t epoch)
{
    const uint64_t seed = m->o.seed;
    const uint64_t purpose = sgae_rng_purpose(SGAE_RNG_NEG, (uint64_t)epoch);
    int32_t *pi = m->perm;
    for (int64_t i = 0; i < m->n; i++)
        pi[i] = (int32_t)i;
    for (int64_t t = m->n - 1; t > 0; t--) {
        int64_t j = (int64_t)sgae_rng_below(seed, purpose, (uint64_t)t, (uint64_t)t + 1);
        int32_t x = pi[t];
        pi[t] = pi[j];
        pi[j] = x;
    }
}

static inline void axpy(float *y, float g, const float *x, int64_t d)
{
    for (int64_t q = 0; q < d; q++)
        y[q] += g * x[q];
}

/* Forward pass (pass.c's sgae_model_forward_ on the owned rows).  train:
 * dropout, the ReLU mask, Z and the KL term. */
static sgae_status forward(sgae_dist_model *m, int64_t epoch, int train, double *kl)
{
    sgae_status st = SGAE_OK;
    const int64_t nloc = m->nloc, h = m->h, d = m->d, L = m->L, nd = nloc * d;
    const double p = train ? m->o.dropout : 0.0;
    const float scale = (float)(1.0 / (1.0 - p));
    const uint64_t dpur = sgae_rng_purpose(SGAE_RNG_DROPOUT, (uint64_t)epoch);
    SGAE_CHECK(sgae_dist_op_spmm(m->op, m->w0, h, m->H1));
    double t0 = sgae_now();
    for (int64_t i = 0; i < nloc; i++) {
        float *y = m->H1 + i * h;
        unsigned char *k = m->keep + i * h;
        for (int64_t c = 0; c < h; c++) {
            int keep = y[c] > 0.0f;
            if (keep && p > 0)
                keep = sgae_rng_uniform(m->o.seed, dpur, (uint64_t)((m->r0 + i) * h + c)) >= p;
            y[c] = keep ? y[c] * scale : 0.0f;
            k[c] = (unsigned char)keep;
        }
    }
    m->st.compute_seconds += sgae_now() - t0;
    SGAE_CHECK(sgae_dist_op_spmm(m->op, m->H1, h, m->AH));
    t0 = sgae_now();
    const int vgae = m->o.kind == SGAE_MODEL_VGAE;
    float *mu = m->ML, *ls = m->ML + nd;
    for (int64_t b = 0; b < m->nbl; b++) {
        int64_t r0 = b * SGAE_DIST_BLOCK;
        int rows = (int)(nloc - r0 < SGAE_DIST_BLOCK ? nloc - r0 : SGAE_DIST_BLOCK);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, (int)d, (int)h, 1.0f,
                    m->AH + r0 * h, (int)h, m->w1, (int)L, 0.0f, mu + r0 * d, (int)d);
        if (vgae)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, (int)d, (int)h, 1.0f,
                        m->AH + r0 * h, (int)h, m->w1 + d, (int)L, 0.0f, ls + r0 * d, (int)d);
    }
    if (train && vgae) {
        /* Z = mu + eps exp(logstd) and the KL sum per loss chunk (global
         * noise indices; normals in Box-Muller pairs of 64-bit draws) */
        const uint64_t pur = sgae_rng_purpose(SGAE_RNG_NOISE, (uint64_t)epoch);
        const float maxls = (float)m->o.max_logstd;
        const int64_t off = m->r0 * d;
        for (int64_t ch = 0; ch < m->nchl; ch++) {
            int64_t i1 = (ch + 1) * LB < nloc ? (ch + 1) * LB : nloc;
            double acc = 0;
            for (int64_t idx = ch * LB * d; idx < i1 * d;) {
                int64_t gi = idx + off;
                uint64_t x = sgae_rng_u64(m->o.seed, pur, (uint64_t)gi / 2);
                float u1 = (float)((x >> 40) + 1) * (1.0f / 16777216.0f);
                float u2 = (float)((x >> 16) & 0xffffff) * (1.0f / 16777216.0f);
                float rr = sqrtf(-2.0f * logf(u1));
                float sn, cs;
                sincosf(6.2831853071795865f * u2, &sn, &cs);
                float z[2] = {rr * cs, rr * sn};
                int64_t stop = (gi & 1) ? idx + 1 : idx + 2;
                if (stop > i1 * d)
                    stop = i1 * d;
                for (; idx < stop; idx++) {
                    float l = ls[idx] < maxls ? ls[idx] : maxls;
                    float sd = expf(l);
                    m->Z[idx] = mu[idx] + z[(idx + off) & 1] * sd;
                    acc += (double)(1.0f + 2.0f * l - mu[idx] * mu[idx] - sd * sd);
                }
            }
            m->part[ch] = acc;
        }
        m->st.compute_seconds += sgae_now() - t0;
        double s;
        SGAE_CHECK(chain_d(m, &s, m->part, m->nchl));
        *kl = -0.5 / ((double)m->n * (double)m->n) * s;
    } else {
        if (!vgae || !train)
            memcpy(m->Z, mu, (size_t)nd * sizeof *m->Z);
        m->st.compute_seconds += sgae_now() - t0;
        *kl = 0;
    }
done:
    return st;
}

/* Decoder: dZ of the owned rows and the positive / negative loss terms. */
static sgae_status decoder(sgae_dist_model *m, int64_t epoch, double *pos, double *neg)
{
    sgae_status st = SGAE_OK;
    draw_perm(m, epoch);
    SGAE_CHECK(fetch_rows(m));
    double t0 = sgae_now();
    const int64_t n = m->n, d = m->d, r = m->r, nloc = m->nloc;
    const int self = m->o.self_loops;
    const float w = (float)(m->o.pos_weight / (double)m->P);
    const int64_t *rp = m->Ag.rowptr;
    const int32_t *ci = m->Ag.col;
    for (int64_t ch = 0; ch < m->nchl; ch++) {
        int64_t i1 = (ch + 1) * LB < nloc ? (ch + 1) * LB : nloc;
        double acc = 0;
        for (int64_t li = ch * LB; li < i1; li++) {
            const int64_t i = m->r0 + li;
            const float *zi = m->Z + li * d;
            float *dz = m->dZ + li * d;
            memset(dz, 0, (size_t)d * sizeof *dz);
            for (int64_t e = rp[li]; e < rp[li + 1]; e++) {
                int32_t j = ci[e];
                if (j == i && !self)
                    continue;
                const float *zj = zrow(m, j);
                float s = sgae_dot(zi, zj, d), ex;
                float sig = sigm(s, &ex);
                float g = w * (sig - 1.0f);
                if (j > i)
                    acc += (double)((s < 0 ? -s : 0.0f) + logf(1.0f + ex));
                else if (j == i) {
                    acc += (double)((s < 0 ? -s : 0.0f) + logf(1.0f + ex));
                    g *= 2.0f;
                }
                axpy(dz, g, zj, d);
            }
        }
        m->part[ch] = acc;
    }
    double negl = 0;
    const float invN = (float)(1.0 / (double)m->nneg);
    const int reject = m->o.neg_reject;
    for (int64_t t = 0; t < n; t++) {
        const int32_t a = m->perm[t];
        if (a < m->r0 || a >= m->r1)
            continue;
        const int64_t la = a - m->r0;
        const float *za = m->Z + la * d;
        float *dz = m->dZ + la * d;
        double acc = 0;
        for (int64_t k = 1; k <= r; k++) {
            int32_t b = m->perm[t + k >= n ? t + k - n : t + k];
            int32_t c = m->perm[t - k < 0 ? t - k + n : t - k];
            if (!reject || !sgae_csr_has(&m->Ag, la, b)) {
                const float *zb = zrow(m, b);
                float s = sgae_dot(za, zb, d), ex;
                float sig = sigm(s, &ex);
                acc += (double)((s > 0 ? s : 0.0f) + logf(1.0f + ex));
                axpy(dz, sig * invN, zb, d);
            }
            if (!reject || !sgae_csr_has(&m->Ag, la, c)) {
                const float *zc = zrow(m, c);
                float s = sgae_dot(zc, za, d), ex;
                float sig = sigm(s, &ex);
                axpy(dz, sig * invN, zc, d);
            }
        }
        negl += acc;
    }
    m->st.compute_seconds += sgae_now() - t0;
    double s;
    SGAE_CHECK(chain_d(m, &s, m->part, m->nchl));
    *pos = m->o.pos_weight / (double)m->P * s;
    double t1 = sgae_now();
    SGAE_CHECK(mpi_ok(MPI_Allreduce(&negl, &s, 1, MPI_DOUBLE, MPI_SUM, m->comm),
                      "MPI_Allreduce"));
    m->st.comm_seconds += sgae_now() - t1;
    *neg = s / (double)m->nneg;
done:
    return st;
}

/* Backward pass (pass.c's sgae_model_backward on the owned rows). */
static sgae_status backward(sgae_dist_model *m)
{
    sgae_status st = SGAE_OK;
    const int64_t nloc = m->nloc, h = m->h, d = m->d, L = m->L, nd = nloc * d;
    const int vgae = m->o.kind == SGAE_MODEL_VGAE;
    float *ML = m->ML;
    const float *Z = m->Z, *dZ = m->dZ;
    const int64_t nb = m->nbl, sz = h * d;
    const float maxls = (float)m->o.max_logstd;
    const float invn2 = (float)(1.0 / ((double)m->n * (double)m->n));
    double t0 = sgae_now();
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * SGAE_DIST_BLOCK;
        int rows = (int)(nloc - r0 < SGAE_DIST_BLOCK ? nloc - r0 : SGAE_DIST_BLOCK);
        if (vgae) {
            for (int64_t idx = r0 * d; idx < (r0 + rows) * d; idx++) {
                float mu = ML[idx], lraw = ML[nd + idx];
                float dz = dZ[idx];
                ML[idx] = dz + mu * invn2;
                if (lraw < maxls) {
                    float sd = expf(lraw);
                    ML[nd + idx] = dz * (Z[idx] - mu) + (sd * sd - 1.0f) * invn2;
                } else {
                    ML[nd + idx] = 0.0f;
                }
            }
        } else {
            memcpy(ML + r0 * d, dZ + r0 * d, (size_t)(rows * d) * sizeof *ML);
        }
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)h, (int)d, rows, 1.0f,
                    m->AH + r0 * h, (int)h, ML + r0 * d, (int)d, 0.0f, m->gp + b * sz, (int)d);
        if (vgae)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)h, (int)d, rows, 1.0f,
                        m->AH + r0 * h, (int)h, ML + nd + r0 * d, (int)d, 0.0f,
                        m->gp + (nb + b) * sz, (int)d);
    }
    m->st.compute_seconds += sgae_now() - t0;
    const int halves = vgae ? 2 : 1;
    for (int half = 0; half < halves; half++) {
        SGAE_CHECK(chain_f(m, m->acc, sz, m->gp + half * nb * sz, nb));
        for (int64_t f = 0; f < sz; f++)
            m->g1[(f / d) * L + half * d + f % d] = m->acc[f];
    }
    t0 = sgae_now();
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * SGAE_DIST_BLOCK;
        int rows = (int)(nloc - r0 < SGAE_DIST_BLOCK ? nloc - r0 : SGAE_DIST_BLOCK);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, (int)h, (int)d, 1.0f,
                    ML + r0 * d, (int)d, m->w1, (int)L, 0.0f, m->dAH + r0 * h, (int)h);
        if (vgae)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, (int)h, (int)d, 1.0f,
                        ML + nd + r0 * d, (int)d, m->w1 + d, (int)L, 1.0f, m->dAH + r0 * h,
                        (int)h);
    }
    m->st.compute_seconds += sgae_now() - t0;
    /* dH1 = Â dAH through the mask (into H1), dW0 = Â dP0 */
    SGAE_CHECK(sgae_dist_op_spmm(m->op, m->dAH, h, m->H1));
    const float scale = (float)(1.0 / (1.0 - m->o.dropout));
    for (int64_t k = 0; k < nloc * h; k++)
        m->H1[k] = m->keep[k] ? m->H1[k] * scale : 0.0f;
    SGAE_CHECK(sgae_dist_op_spmm(m->op, m->H1, h, m->g0));
    if (m->o.weight_decay > 0) {
        const float wd = (float)m->o.weight_decay;
        for (int64_t k = 0; k < nloc * h; k++)
            m->g0[k] += wd * m->w0[k];
        for (int64_t k = 0; k < h * L; k++)
            m->g1[k] += wd * m->w1[k];
    }
done:
    return st;
}

/* Adam (model.c's sgae_model_adam): W0 rows here, W1 everywhere alike. */
static void adam(sgae_dist_model *m)
{
    double t0 = sgae_now();
    m->step++;
    sgae_adam_update(m->w0, m->g0, m->m0, m->v0, m->nloc * m->h, m->o.lr, m->o.beta1,
                     m->o.beta2, m->o.adam_eps, m->step);
    sgae_adam_update(m->w1, m->g1, m->m1, m->v1, m->h * m->L, m->o.lr, m->o.beta1, m->o.beta2,
                     m->o.adam_eps, m->step);
    m->st.compute_seconds += sgae_now() - t0;
}

static sgae_status l2_term(sgae_dist_model *m, double *l2)
{
    *l2 = 0;
    if (!(m->o.weight_decay > 0))
        return SGAE_OK;
    double s0, s1 = 0;
    /* the sequential sum over W0's entries, continued rank to rank */
    double run = 0;
    sgae_status st = SGAE_OK;
    if (m->rank > 0)
        SGAE_CHECK(mpi_ok(MPI_Recv(&run, 1, MPI_DOUBLE, m->rank - 1, 9, m->comm,
                                   MPI_STATUS_IGNORE), "MPI_Recv"));
    for (int64_t k = 0; k < m->nloc * m->h; k++)
        run += (double)m->w0[k] * m->w0[k];
    if (m->rank + 1 < m->np)
        SGAE_CHECK(mpi_ok(MPI_Send(&run, 1, MPI_DOUBLE, m->rank + 1, 9, m->comm), "MPI_Send"));
    SGAE_CHECK(mpi_ok(MPI_Bcast(&run, 1, MPI_DOUBLE, m->np - 1, m->comm), "MPI_Bcast"));
    s0 = run;
    for (int64_t k = 0; k < m->h * m->L; k++)
        s1 += (double)m->w1[k] * m->w1[k];
    *l2 = 0.5 * m->o.weight_decay * (s0 + s1);
done:
    return st;
}

sgae_status sgae_dist_model_epoch(sgae_dist_model *m, int64_t epoch, sgae_loss *out)
{
    sgae_status st = SGAE_OK;
    sgae_loss loss = {0};
    double t0 = sgae_now();
    int blas = sgae_blas_pin();
    SGAE_CHECK(forward(m, epoch, 1, &loss.kl));
    SGAE_CHECK(decoder(m, epoch, &loss.pos, &loss.neg));
    SGAE_CHECK(l2_term(m, &loss.l2));
    loss.total = loss.pos + loss.neg + loss.kl + loss.l2;
    if (!isfinite(loss.total))
        SGAE_FAIL(SGAE_E_NUMERIC, "epoch %lld: the loss is not finite; try a lower learning rate",
                  (long long)epoch + 1);
    SGAE_CHECK(backward(m));
    adam(m);
    m->st.epochs++;
    m->st.seconds += sgae_now() - t0;
done:
    sgae_blas_restore(blas);
    if (out)
        *out = loss;
    return st;
}

sgae_status sgae_dist_model_embed(sgae_dist_model *m, const float **mu)
{
    double kl;
    int blas = sgae_blas_pin();
    sgae_status st = forward(m, 0, 0, &kl);
    sgae_blas_restore(blas);
    *mu = st ? NULL : m->ML;
    return st;
}

float *sgae_dist_model_param(sgae_dist_model *m, int which, int order, int64_t *rows,
                             int64_t *cols)
{
    if (rows)
        *rows = which == 0 ? m->nloc : m->h;
    if (cols)
        *cols = which == 0 ? m->h : m->L;
    if (which == 0)
        return order == 0 ? m->w0 : order == 1 ? m->m0 : m->v0;
    return order == 0 ? m->w1 : order == 1 ? m->m1 : m->v1;
}

int64_t sgae_dist_model_steps(const sgae_dist_model *m) { return m->step; }
void sgae_dist_model_set_steps(sgae_dist_model *m, int64_t steps) { m->step = steps; }
sgae_dist_op *sgae_dist_model_op(sgae_dist_model *m) { return m->op; }

void sgae_dist_model_stats(const sgae_dist_model *m, sgae_dist_train_stats *s)
{
    *s = m->st;
    sgae_dist_stats o;
    sgae_dist_op_stats(m->op, &o);
    s->bytes_sent += o.bytes_sent;
    s->comm_seconds += o.comm_seconds;
    s->compute_seconds += o.compute_seconds;
    s->spmm_exchanges = o.exchanges;
}
